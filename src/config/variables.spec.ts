import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from './load-config';
import { KNOWN_VARIABLES, PLATFORM_VARIABLES, SECRET_VARIABLES, TRACING_VARIABLES } from './variables';

const REPO_ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line security/detect-non-literal-fs-filename -- files of this repository named by the test
const read = (name: string) => readFileSync(join(REPO_ROOT, name), 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** Every variable the code knows: configuration, secrets and the few outside the MFN_ namespace. */
const CODE_VARIABLES = sorted([...KNOWN_VARIABLES, ...SECRET_VARIABLES, ...PLATFORM_VARIABLES, ...TRACING_VARIABLES]);

/** `NAME=value` lines of .env.example, commented out or not. */
function exampleLines(): { name: string; line: string }[] {
  return read('.env.example')
    .split('\n')
    .map((line) => ({ line, match: /^#? ?([A-Z][A-Z0-9_]*)=/.exec(line) }))
    .filter((l) => l.match !== null)
    .map((l) => ({ name: l.match![1], line: l.line.replace(/^# ?/, '') }));
}

/**
 * The variables in the first column of the README's configuration table. A `_FILE` token stands
 * for the `_FILE` twin of every variable named before it in the cell; no other abbreviation is
 * accepted, so each name can be found by searching for it.
 */
function readmeTableVariables(): string[] {
  const lines = read('README.md').split('\n');
  const start = lines.indexOf('| Variable | Meaning | dev | staging | prod |');
  expect(start).toBeGreaterThan(0);
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  const names: string[] = [];
  for (const row of lines.slice(start + 2, end)) {
    const cell = row.split('|')[1];
    const inCell: string[] = [];
    for (const [, token] of cell.matchAll(/`([^`]+)`/g)) {
      // eslint-disable-next-line security/detect-possible-timing-attacks -- compares a variable-name fragment, not a secret
      if (token === '_FILE') {
        inCell.push(...inCell.map((name) => `${name}_FILE`));
      } else {
        // eslint-disable-next-line security/detect-unsafe-regex -- anchored, each group starts with `_`: linear in the token's length; tokens are README cells
        expect({ token, fullName: /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(token) }).toEqual({ token, fullName: true });
        inCell.push(token);
      }
    }
    names.push(...inCell);
  }
  return names;
}

/** Source files of the service (specs excluded). */
function sourceFiles(dir = join(REPO_ROOT, 'src')): string[] {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- walks this repository's src/
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- walks this repository's src/
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('configuration reference', () => {
  it('.env.example lists every variable the code reads, once each, and nothing else', () => {
    const names = exampleLines().map((l) => l.name);
    expect(sorted(names)).toEqual(CODE_VARIABLES);
    expect(names).toHaveLength(new Set(names).size);
  });

  it('.env.example gives the dev defaults: all of it uncommented builds the same configuration as nothing', () => {
    const example = parseEnv(exampleLines().map((l) => l.line).join('\n'));
    // Secrets and computed defaults stay empty; everything else carries its dev value.
    // eslint-disable-next-line security/detect-object-injection -- `name` is one of the fixed secret variable names
    for (const name of SECRET_VARIABLES) expect({ name, value: example[name] }).toEqual({ name, value: '' });
    expect(example).toMatchObject({ MFN_ENV: 'dev', PORT: '8000', HOST: '127.0.0.1', MFN_LOG_FORMAT: 'text', MFN_API_KEY_REQUIRED: 'false' });
    expect(JSON.stringify(loadConfig(example))).toBe(JSON.stringify(loadConfig({})));
  });

  it("the README's configuration table names the same variables as the code", () => {
    expect(sorted(readmeTableVariables())).toEqual(CODE_VARIABLES);
  });

  it('every MFN_ variable named in the source is a known one', () => {
    const known = new Set(CODE_VARIABLES);
    const unknown = new Set<string>();
    for (const file of sourceFiles()) {
      // A trailing underscore is a prefix in a comment (MFN_REDIS_TLS_*), not a variable.
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- source files of this repository
      for (const [name] of readFileSync(file, 'utf8').matchAll(/\bMFN_[A-Z0-9_]*[A-Z0-9]\b/g)) if (!known.has(name)) unknown.add(name);
    }
    expect([...unknown]).toEqual([]);
  });
});
