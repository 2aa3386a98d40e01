import { freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';

/** The real entry point (dist/main.js): start-up validation, exit codes, graceful stop. */
describe('service process', () => {
  it('refuses to start on bad configuration with one line naming each bad variable', async () => {
    const svc = startServiceProcess({ MFN_RATE_LIMIT_REQUESTS: 'abc', MFN_ENV: 'production', MFN_LOG_LEVEL: 'LOUD' });
    expect(await svc.exited).toBe(1);
    const lines = svc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const name of ['MFN_RATE_LIMIT_REQUESTS', 'MFN_ENV', 'MFN_LOG_LEVEL']) expect(lines[0]).toContain(name);
    expect(svc.stdout()).toBe('');
  });

  it('refuses to start in prod without API keys, without printing secrets', async () => {
    const svc = startServiceProcess({ MFN_ENV: 'prod', MFN_MASTER_KEY: 'master-secret-value' });
    expect(await svc.exited).toBe(1);
    expect(svc.stderr()).toMatch(/MFN_API_KEY/);
    expect(svc.stderr()).not.toContain('master-secret-value');
  });

  it('serves, survives bad input, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const svc = startServiceProcess({ PORT: String(port) });
    try {
      await waitUntilUp(svc);
      const bad = await fetch(`${svc.baseUrl}/nernst`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"concentration_out_molar": [',
      });
      expect(bad.status).toBe(400);
      const ok = await fetch(`${svc.baseUrl}/nernst`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 }),
      });
      expect(((await ok.json()) as { potential_mV: number }).potential_mV).toBeCloseTo(-89.01066911987907, 12);
      expect((await fetch(`${svc.baseUrl}/health`)).status).toBe(200);
    } finally {
      expect(await svc.stop('SIGTERM')).toBe(0);
    }
    const lines = svc
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.message === 'shutdown complete')).toBe(true);
    await expect(fetch(`${svc.baseUrl}/health`)).rejects.toThrow();
  });
});
