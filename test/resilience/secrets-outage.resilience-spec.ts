import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { parseExposition, sampleValue } from '../ops/support/prometheus-text';
import { listenOnce } from '../helpers/raw-http';
import { TestApp, createTestApp } from '../helpers/test-app';
import { VaultKvStub } from '../secrets/vault-kv.stub';
import { LoadRun, bodyOf, until } from './support/load';
import { sendHttp } from './support/wire-client';

/**
 * The secrets backend (a local Vault speaking the KV v2 API) goes away while the service refreshes
 * its secrets every second under load: the last good values stay in force (the API key keeps
 * working, readiness stays up with last_refresh_ok false, mfn_secrets_refresh_failures_total
 * moves). A key rotation made while Vault was down is picked up once it is back: the new key is
 * accepted and the old one refused, without a restart.
 */
jest.setTimeout(90_000);

const PATH = 'mfn/resilience';
const NERNST = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });

describe('secrets backend fails during refresh', () => {
  const vault = new VaultKvStub();
  const oldKey = randomBytes(24).toString('hex');
  const newKey = randomBytes(24).toString('hex');
  const masterKey = randomBytes(32).toString('base64');
  let t: TestApp;
  let port: number;
  let vaultPort: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  beforeAll(async () => {
    vault.put('secret', PATH, { MFN_API_KEYS: `client:${oldKey}`, MFN_MASTER_KEY: masterKey });
    const url = await vault.start();
    vaultPort = Number(new URL(url).port);
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_SECRETS_BACKEND: 'vault',
      MFN_SECRETS_VAULT_URL: url,
      MFN_SECRETS_VAULT_PATH: PATH,
      MFN_VAULT_TOKEN: vault.token,
      MFN_SECRETS_REFRESH_S: '1',
      MFN_SECRETS_RETRIES: '0',
      MFN_SECRETS_TIMEOUT_MS: '500',
      MFN_RATE_LIMIT_REQUESTS: '1000000',
      // Requests without a valid key share the smallest route limit in force: every route is raised.
      MFN_RATE_LIMIT_ROUTES: '/nernst=1000000,/simulate=1000000,/validate=1000000,/federated/aggregate=1000000,/jobs/simulate=1000000,/jobs/validate=1000000,/jobs/aggregate=1000000',
      // After the rotation the load keeps sending the retired key from one address and expects
      // 401 each time; the brute-force lockout would turn those into 429 after a few.
      MFN_AUTH_LOCKOUT_ENABLED: 'false',
    });
    port = await listenOnce(t.server);
  });

  afterAll(async () => {
    agent.destroy();
    await t?.close();
    await vault.close();
  });

  const nernst = (key: string) =>
    sendHttp(port, { method: 'POST', path: '/nernst', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: NERNST }, agent);

  async function refreshFailures(): Promise<number> {
    const res = await sendHttp(port, { method: 'GET', path: '/metrics' });
    return sampleValue(parseExposition(res.text), 'mfn_secrets_refresh_failures_total', { backend: 'vault' });
  }

  async function readiness(): Promise<{ status?: number; secrets: Record<string, unknown> }> {
    const res = await sendHttp(port, { method: 'GET', path: '/health/ready' });
    const details = (bodyOf(res)?.details ?? {}) as Record<string, Record<string, unknown>>;
    return { status: res.status, secrets: details.secrets };
  }

  it('keeps the last good values while Vault is down, then picks up the rotation made meanwhile', async () => {
    const load = new LoadRun(4, async () => ({ kind: 'nernst', outcome: await nernst(oldKey) }));
    try {
      await load.answered(40);
      const failuresBefore = await refreshFailures();

      await vault.close();
      load.phase = 'vault down';
      await until('two failed refreshes', async () => (await refreshFailures()) >= failuresBefore + 2, 20_000, 100);
      await load.answered(40);
      expect(await readiness()).toEqual({ status: 200, secrets: { status: 'up', backend: 'vault', last_refresh_ok: false } });

      // The rotation happens while the service cannot see it: the old key goes, a new one comes.
      vault.put('secret', PATH, { MFN_API_KEYS: `client:${newKey}`, MFN_MASTER_KEY: masterKey });
      await vault.start(vaultPort);
      load.phase = 'vault back';
      await until('the rotated key to be accepted', async () => (await nernst(newKey)).status === 200, 20_000, 100);
      load.phase = 'rotated';
      await load.answered(20);
    } finally {
      await load.stop();
    }

    // Nothing was refused while Vault was away: the key set in force was the last good one.
    for (const phase of ['before', 'vault down']) {
      expect(load.inPhase(phase).filter((s) => s.outcome.status !== 200).map((s) => s.outcome.status ?? s.outcome.error)).toEqual([]);
    }
    // After the refresh the old key is refused like any unknown key.
    const afterRotation = load.within('rotated');
    expect(afterRotation.length).toBeGreaterThanOrEqual(20);
    for (const { outcome } of afterRotation) {
      expect(outcome.status).toBe(401);
      expect(bodyOf(outcome)).toMatchObject({ error_code: 'INVALID_API_KEY', request_id: outcome.headers['x-request-id'] });
    }
    expect(await readiness()).toEqual({ status: 200, secrets: { status: 'up', backend: 'vault', last_refresh_ok: true } });

    const records = t.logs.records();
    expect(records.some((r) => r.message === 'secrets refresh failed: keeping the last good values' && r.level === 'WARNING')).toBe(true);
    expect(records.find((r) => r.action === 'secrets_rotated')).toMatchObject({ audit_event: true, details: { backend: 'vault', changed: ['MFN_API_KEYS'] } });
    const text = t.logs.text();
    for (const secret of [oldKey, newKey, masterKey, vault.token]) expect(text).not.toContain(secret);
  });
});
