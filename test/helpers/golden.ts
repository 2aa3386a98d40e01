import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a golden reference file from test/fixtures/golden. */
export function readGolden<T = unknown>(name: string): T {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixture file of test/fixtures/golden named in the test's code
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'golden', name), 'utf8')) as T;
}

export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}
