import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads one of the golden reference files under test/fixtures/golden. */
export function loadGolden<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'golden', name), 'utf8')) as T;
}

/** |actual - expected| <= tol * |expected| (or absolute tol when expected is 0). */
export function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}

export interface SummaryStats {
  n: number;
  mean: number;
  std: number;
}

/** Mean and sample standard deviation (ddof = 1). */
export function summarise(values: readonly number[]): SummaryStats {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, std: Math.sqrt(variance) };
}

/**
 * The acceptance check of NUMERICS.md §12 for one field: z of the difference of means and the
 * ratio of standard deviations.
 */
export function compareDistributions(impl: SummaryStats, ref: SummaryStats): { z: number; stdRatio: number } {
  const se = Math.sqrt(ref.std ** 2 / ref.n + impl.std ** 2 / impl.n);
  return { z: (impl.mean - ref.mean) / se, stdRatio: impl.std / ref.std };
}
