import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The lint rule that keeps imports on packages' declared entry points (lint/package-entry-points.mjs),
 * run through ESLint with the project's own configuration on sample sources.
 */
const ROOT = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  line: number;
  message: string;
}

/** The rule's messages for each line of `lines`, linted as one file of src/ by the ESLint CLI. */
function messagesPerLine(lines: string[]): string[][] {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', 'src/lint-sample.ts', '--format', 'json'],
    { cwd: ROOT, input: lines.join('\n'), encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  const mine = result.messages.filter((m) => m.ruleId === 'entry-points/package-entry-points');
  return lines.map((_, i) => mine.filter((m) => m.line === i + 1).map((m) => m.message));
}

const REFUSED: [string, string][] = [
  ["import { PATH_METADATA } from '@nestjs/common/constants';", '@nestjs/common/constants'],
  ["import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';", '@nestjs/core/helpers'],
  ["import { defaultMetadataStorage } from 'class-transformer/cjs/storage';", 'class-transformer/cjs/storage'],
  ["import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';", 'class-validator/types'],
  ["export * from 'pino/lib/tools';", 'pino/lib/tools'],
  ["const x = require('express/lib/router');", 'express/lib/router'],
  ["const m = import('ioredis/built/Redis');", 'ioredis/built/Redis'],
  ["import { ed25519 } from '@noble/curves/src/ed25519';", '@noble/curves/src/ed25519'],
];

const ACCEPTED = [
  "import { Module } from '@nestjs/common';",
  "import { ed25519 } from '@noble/curves/ed25519';",
  "import { Deployment } from 'kubernetes-models/apps/v1';",
  "import { readFile } from 'node:fs/promises';",
  "import { readFile } from 'fs/promises';",
  "import { x } from './dist/local';",
  "import { y } from '../lib/thing';",
];

describe('imports through declared entry points only', () => {
  const refused = messagesPerLine(REFUSED.map(([source]) => source));
  const accepted = messagesPerLine(ACCEPTED);

  it.each(REFUSED.map(([source, fragment], i) => [source, fragment, i] as const))('refuses %s', (_source, fragment, i) => {
    // eslint-disable-next-line security/detect-object-injection -- integer index into the per-line results
    expect(refused[i]).toHaveLength(1);
    // eslint-disable-next-line security/detect-object-injection -- integer index into the per-line results
    expect(refused[i][0]).toContain(fragment);
  });

  it.each(ACCEPTED.map((source, i) => [source, i] as const))('accepts %s', (_source, i) => {
    // eslint-disable-next-line security/detect-object-injection -- integer index into the per-line results
    expect(accepted[i]).toEqual([]);
  });
});
