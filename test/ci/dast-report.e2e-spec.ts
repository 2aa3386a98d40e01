import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TempDir } from '../helpers/temp-dir';

/**
 * The gate of the DAST baseline (scripts/dast/report.js), run as CI runs it on wapiti's JSON
 * reports: a high or critical finding fails unless it is a documented false positive, and an
 * unreadable report is an error, never a pass.
 */
const REPORT_JS = join(__dirname, '..', '..', 'scripts', 'dast', 'report.js');

type Item = { method: string; path: string; info: string; level: number; parameter?: string };

function wapitiReport(vulnerabilities: Record<string, Item[]>, anomalies: Record<string, Item[]> = {}) {
  return JSON.stringify({ infos: { version: 'Wapiti 3.0.4' }, vulnerabilities, anomalies, additionals: {} });
}

const XSS_PROTECTION: Item = { method: 'GET', path: '/', info: 'X-XSS-Protection is not set', level: 1 };
const NO_HSTS: Item = { method: 'GET', path: '/', info: 'Strict-Transport-Security is not set', level: 1 };

describe('DAST gate (scripts/dast/report.js)', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await TempDir.create('mfn-dast-report-');
  });
  afterAll(() => dir.remove());

  async function gate(reports: Record<string, string>): Promise<{ status: number | null; out: string }> {
    const args: string[] = [];
    for (const [profile, content] of Object.entries(reports)) args.push(`${profile}=${await dir.write(`${profile}.json`, content)}`);
    const run = spawnSync(process.execPath, [REPORT_JS, ...args], { encoding: 'utf8' });
    return { status: run.status, out: run.stdout + run.stderr };
  }

  it('passes on accepted findings only, and lists them with their reason', async () => {
    const { status, out } = await gate({
      dev: wapitiReport({ 'HTTP Secure Headers': [XSS_PROTECTION, NO_HSTS] }),
      prod: wapitiReport({ 'HTTP Secure Headers': [XSS_PROTECTION] }),
    });
    expect(status).toBe(0);
    expect(out).toMatch(/low +dev 0 \[2\] +prod 0 \[1\]/);
    expect(out).toContain('why: the dev scan speaks plain HTTP');
    expect(out).toContain('DAST: PASS');
  });

  it('fails on a high finding (an answer 500 to an attack) that nobody accepted', async () => {
    const error500: Item = { method: 'GET', path: '/api/keys', parameter: 'limit', info: 'The server responded with a 500 HTTP error code', level: 3 };
    const { status, out } = await gate({ dev: wapitiReport({}, { 'Internal Server Error': [error500] }) });
    expect(status).toBe(1);
    expect(out).toContain('high     dev   Internal Server Error: GET /api/keys [limit]: The server responded with a 500 HTTP error code');
    expect(out).toContain('DAST: FAIL, 1 high or critical finding(s)');
  });

  it('does not accept a finding outside the profiles its reason covers', async () => {
    // HSTS is accepted for the plain-HTTP dev scan only; low findings are shown but do not fail.
    const { status, out } = await gate({ prod: wapitiReport({ 'HTTP Secure Headers': [NO_HSTS] }) });
    expect(status).toBe(0);
    expect(out).toContain('Open findings:\n  low      prod  HTTP Secure Headers: GET /: Strict-Transport-Security is not set');
  });

  it('refuses a report it cannot read', async () => {
    const { status, out } = await gate({ dev: '{"vulnerabilities": ' });
    expect(status).toBe(2);
    expect(out).toContain('DAST: cannot read the wapiti report');
  });
});
