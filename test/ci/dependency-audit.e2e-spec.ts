import { spawnSync } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TempDir } from '../helpers/temp-dir';

/**
 * CI's dependency audit (scripts/dependency-audit.js) against a stand-in npm that prints what
 * `npm audit --json` prints: a report with a high advisory fails, a report without one passes,
 * and an advisory service that does not answer is said to be so in one line, never as a pass.
 */
const AUDIT_JS = join(__dirname, '..', '..', 'scripts', 'dependency-audit.js');

const ADVISORY_URL = 'https://github.com/advisories/GHSA-0000-0000-0000';

function auditReport(counts: Record<string, number>, vulnerabilities: Record<string, object> = {}): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts, total } },
  });
}

describe('dependency audit (scripts/dependency-audit.js)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await TempDir.create('mfn-dependency-audit-');
  });
  afterAll(() => dir.remove());

  /** Runs the audit with an npm that prints `stdout` and `stderr` and exits with `code`. */
  async function audit(stdout: string, stderr: string, code: number): Promise<{ status: number | null; out: string; args: string }> {
    await dir.write('stdout', stdout);
    await dir.write('stderr', stderr);
    const npm = await dir.write('npm', `#!/bin/sh\necho "$@" > "${dir.join('args')}"\ncat "${dir.join('stdout')}"\ncat "${dir.join('stderr')}" >&2\nexit ${code}\n`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file in the temporary directory the suite creates
    await chmod(npm, 0o755);
    const run = spawnSync(process.execPath, [AUDIT_JS], { encoding: 'utf8', env: { ...process.env, NPM: npm } });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file in the temporary directory the suite creates
    const args = (await readFile(dir.join('args'), 'utf8')).trim();
    return { status: run.status, out: run.stdout + run.stderr, args };
  }

  it('runs npm audit on the runtime dependencies at the high level', async () => {
    const { args } = await audit(auditReport({}), '', 0);
    expect(args).toBe('audit --omit=dev --audit-level=high --json');
  });

  it('fails on a high advisory and names it', async () => {
    const vulnerabilities = {
      'js-yaml': {
        name: 'js-yaml',
        severity: 'high',
        range: '5.0.0 - 5.4.0',
        via: [{ title: 'Denial of service in the YAML loader', url: ADVISORY_URL, severity: 'high' }],
        fixAvailable: true,
      },
      '@nestjs/swagger': { name: '@nestjs/swagger', severity: 'high', range: '*', via: ['js-yaml'], fixAvailable: true },
      'some-lib': { name: 'some-lib', severity: 'moderate', range: '<2', via: [{ title: 'moderate thing', url: ADVISORY_URL }], fixAvailable: false },
    };
    const { status, out } = await audit(auditReport({ high: 2, moderate: 1 }, vulnerabilities), '', 1);
    expect(status).toBe(1);
    expect(out).toContain('critical 0, high 2, moderate 1, low 0, info 0');
    expect(out).toContain(`high js-yaml 5.0.0 - 5.4.0: Denial of service in the YAML loader ${ADVISORY_URL} (fix available)`);
    expect(out).toContain('high @nestjs/swagger *: via js-yaml (fix available)');
    expect(out).not.toContain('some-lib');
    expect(out).toContain('Dependency audit: FAIL');
  });

  it('passes when nothing reaches high', async () => {
    const { status, out } = await audit(auditReport({ low: 3 }), '', 0);
    expect(status).toBe(0);
    expect(out).toBe('Dependency audit (npm audit --omit=dev --audit-level=high): critical 0, high 0, moderate 0, low 3, info 0\n');
  });

  it('says in one line that it could not run when the advisory endpoint refuses, and carries on', async () => {
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk', statusCode: 405 });
    const { status, out } = await audit(refused, 'npm error audit endpoint returned an error\n', 1);
    expect(status).toBe(0);
    expect(out.trimEnd().split('\n')).toEqual([
      'Dependency audit: NOT RUN, the advisory service gave no report (405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk); runtime dependencies were not checked against advisories',
    ]);
  });

  it('says so too when npm prints no JSON at all', async () => {
    const { status, out } = await audit('', 'npm error network request failed, reason: getaddrinfo EAI_AGAIN registry.example\n', 1);
    expect(status).toBe(0);
    expect(out).toContain('Dependency audit: NOT RUN, the advisory service gave no report (network request failed, reason: getaddrinfo EAI_AGAIN registry.example)');
  });
});
