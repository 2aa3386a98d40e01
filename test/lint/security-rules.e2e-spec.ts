import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The security part of the lint configuration (eslint.config.mjs): eslint-plugin-security's
 * recommended rules as errors on src, test and bench, the core rules standing in for
 * @microsoft/eslint-plugin-sdl, the one folder where detect-object-injection is off, and
 * disable directives that must still be needed.
 */
const ROOT = join(__dirname, '..', '..');

/**
 * Lints each `[filePath, code]` with the project's configuration through ESLint's Node API, in a
 * child process (the configuration is an ES module, which jest's module loader cannot import),
 * and gives `rule id (severity)` of every message, per sample.
 */
function findings(samples: [string, string][]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint();
    const samples = JSON.parse(process.argv[1]);
    const out = [];
    for (const [filePath, code] of samples) {
      const [result] = await eslint.lintText(code, { filePath });
      out.push(result.messages.map((m) => \`\${m.ruleId ?? 'directive'} (\${m.severity === 2 ? 'error' : 'warning'})\`));
    }
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(samples)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

const SAMPLES: [string, string, string][] = [
  ['src/sample.ts', 'export const pick = (o: Record<string, number>, k: string) => o[k];', 'security/detect-object-injection'],
  ['src/sample.ts', 'export const re = (s: string) => new RegExp(s);', 'security/detect-non-literal-regexp'],
  ['src/sample.ts', "import { readFileSync } from 'node:fs';\nexport const read = (p: string) => readFileSync(p);", 'security/detect-non-literal-fs-filename'],
  ['src/sample.ts', 'export const re = /^(a+)+$/;', 'security/detect-unsafe-regex'],
  ['src/sample.ts', "import { exec } from 'node:child_process';\nexport const run = (c: string) => exec(c);", 'security/detect-child-process'],
  ['test/sample.e2e-spec.ts', 'export const pick = (o: Record<string, number>, k: string) => o[k];', 'security/detect-object-injection'],
  ['bench/sample.js', "'use strict';\nmodule.exports = (p) => require(p);", 'security/detect-non-literal-require'],
  ['src/sample.ts', 'export const b = Buffer.allocUnsafe(16);', 'no-restricted-syntax'],
  ['src/sample.ts', "export const v = eval('1');", 'no-eval'],
  ['src/sample.ts', "setTimeout('tick()', 10);", 'no-implied-eval'],
  ['src/sample.ts', "export const f = new Function('return 1');", 'no-new-func'],
];

const CORE_INDEXING = 'export const at = (a: Float64Array, i: number) => a[i];';
const STALE_DIRECTIVE = '// eslint-disable-next-line security/detect-object-injection -- stale\nexport const one = 1;';

describe('security lint rules', () => {
  const [core, outsideCore, stale, ...perSample] = findings([
    ['src/simulation/core/sample.ts', CORE_INDEXING],
    ['src/simulation/sample.ts', CORE_INDEXING],
    ['src/sample.ts', STALE_DIRECTIVE],
    ...SAMPLES.map(([file, code]): [string, string] => [file, code]),
  ]);

  it.each(SAMPLES.map(([file, code, rule], i) => [file, code, rule, i] as const))('%s: %s is an error of %s', (_file, _code, rule, i) => {
    // eslint-disable-next-line security/detect-object-injection -- integer index into the per-sample results
    expect(perSample[i]).toEqual([`${rule} (error)`]);
  });

  it('leaves integer indexing in the numerical core alone, and only there', () => {
    expect(core).toEqual([]);
    expect(outsideCore).toEqual(['security/detect-object-injection (error)']);
  });

  it('refuses a disable directive that no longer suppresses anything', () => {
    expect(stale).toEqual(['directive (error)']);
  });
});
