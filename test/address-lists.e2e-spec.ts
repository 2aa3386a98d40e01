import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SecretsService } from '../src/secrets/secrets.service';
import { rawRequest } from './helpers/raw-http';
import { TempDir } from './helpers/temp-dir';
import { createTestApp, LogCapture, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { parseExposition, sampleValue } from './ops/support/prometheus-text';

jest.setTimeout(60_000);

const KEY = randomBytes(32).toString('base64url');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };

/** With MFN_TRUST_PROXY_HEADERS=true and one trusted hop, the right-most X-Forwarded-For entry is the client. */
const PROXY = { MFN_TRUST_PROXY_HEADERS: 'true', MFN_TRUSTED_PROXIES: '1' };

function audits(logs: LogCapture, action: string, requestId: string): Record<string, unknown>[] {
  return logs.records().filter((r) => r.audit_event === true && r.action === action && r.request_id === requestId);
}

describe('address lists (MFN_IP_ALLOWLIST / MFN_IP_DENYLIST)', () => {
  let t: TestApp;
  const from = (address: string, path = '/nernst') =>
    request(t.server).post(path).set('X-Forwarded-For', `198.51.100.99, ${address}`).set('X-API-Key', KEY).send(NERNST);

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEY: KEY,
      ...PROXY,
      MFN_IP_ALLOWLIST: '203.0.113.0/24, 2001:db8:a::/48, 192.0.2.10',
      MFN_IP_DENYLIST: '203.0.113.66,2001:db8:a:bad::/64',
    });
  });
  afterAll(() => t.close());

  it('serves addresses on the allow list, IPv4 and IPv6, single addresses and subnets', async () => {
    for (const address of ['203.0.113.5', '192.0.2.10', '2001:db8:a::1', '2001:DB8:A:FFFF::9']) {
      const res = await from(address);
      expect({ address, status: res.status }).toEqual({ address, status: 200 });
    }
  });

  it('treats an IPv4-mapped IPv6 client as its IPv4 address', async () => {
    expect((await from('::ffff:203.0.113.5')).status).toBe(200);
    expect((await from('::ffff:cb00:7105')).status).toBe(200);
    expect((await from('::ffff:203.0.113.66')).status).toBe(403);
    expect((await from('::ffff:198.51.100.1')).status).toBe(403);
  });

  it('answers 403 FORBIDDEN in the envelope, before rate limiting and authentication: no key needed', async () => {
    const res = await request(t.server)
      .post('/nernst')
      .set('X-Forwarded-For', '198.51.100.7')
      .set('X-Request-ID', 'address-not-allowed-1')
      .send(NERNST);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error_code: 'FORBIDDEN', request_id: 'address-not-allowed-1' });
    expect(res.body.message).toBe('Requests from this address are not allowed');
    expect(res.body.detail).toBe(res.body.message);
    expect(res.headers['x-request-id']).toBe('address-not-allowed-1');
    expect(res.headers['www-authenticate']).toBeUndefined();
    // The rate limiter did not run: no bucket was spent, no headers set.
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    expect(audits(t.logs, 'access_denied', 'address-not-allowed-1')).toEqual([
      expect.objectContaining({ severity: 'WARNING', success: false, source_ip: '198.xxx.xxx.xxx', details: { reason: 'address_not_allowed' } }),
    ]);
    expect(audits(t.logs, 'authentication_failure', 'address-not-allowed-1')).toHaveLength(0);
  });

  it('refuses an address on the deny list even inside an allowed subnet and with a valid key', async () => {
    for (const [address, id] of [
      ['203.0.113.66', 'denied-v4'],
      ['2001:db8:a:bad::1234', 'denied-v6'],
    ]) {
      const res = await request(t.server)
        .post('/nernst')
        .set('X-Forwarded-For', address)
        .set('X-Request-ID', id)
        .set('X-API-Key', KEY)
        .send(NERNST);
      expect({ address, status: res.status, code: res.body.error_code }).toEqual({ address, status: 403, code: 'FORBIDDEN' });
      expect(audits(t.logs, 'access_denied', id)[0]).toMatchObject({ details: { reason: 'address_denied' } });
    }
  });

  it('refuses unknown paths and the scrape route too (403 before 401 or 404)', async () => {
    expect((await request(t.server).get('/no-such-route').set('X-Forwarded-For', '198.51.100.7')).status).toBe(403);
    expect((await request(t.server).get('/healthz').set('X-Forwarded-For', '198.51.100.7')).status).toBe(403);
    expect((await request(t.server).get('/metrics').set('X-Forwarded-For', '198.51.100.7')).status).toBe(403);
    expect((await request(t.server).get('/no-such-route').set('X-Forwarded-For', '203.0.113.5')).status).toBe(401);
  });

  it('answers 403 before anything else the request would meet: a malformed path, OPTIONS *, a CORS preflight', async () => {
    const denied = { 'X-Forwarded-For': '198.51.100.7' };
    const malformed = await rawRequest(t.server, 'GET', '/api/keys/%E0%A4%A', denied);
    expect({ status: malformed.status, code: malformed.body?.error_code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await rawRequest(t.server, 'OPTIONS', '*', denied)).status).toBe(403);
    const preflight = await rawRequest(t.server, 'OPTIONS', '/nernst', { ...denied, Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' });
    expect(preflight.status).toBe(403);
    // An allowed address still gets the ordinary answers.
    expect((await rawRequest(t.server, 'GET', '/api/keys/%E0%A4%A', { 'X-Forwarded-For': '203.0.113.5' })).status).toBe(400);
  });

  it('exempts the probes: /health and /health/ready answer any address', async () => {
    for (const address of ['198.51.100.7', '203.0.113.66', '2001:db9::1']) {
      expect((await request(t.server).get('/health').set('X-Forwarded-For', address)).status).toBe(200);
      expect((await request(t.server).get('/health/ready').set('X-Forwarded-For', address)).status).toBe(200);
      expect((await request(t.server).get('/health/').set('X-Forwarded-For', address)).status).toBe(200);
    }
  });

  it('counts refusals by reason on /metrics', async () => {
    const scrape = async () => parseExposition((await request(t.server).get('/metrics').set('X-Forwarded-For', '203.0.113.5')).text);
    const before = await scrape();
    await from('198.51.100.8');
    await from('198.51.100.9');
    await from('203.0.113.66');
    const after = await scrape();
    const delta = (reason: string) =>
      sampleValue(after, 'mfn_address_rejections_total', { reason }) - sampleValue(before, 'mfn_address_rejections_total', { reason });
    expect(delta('address_not_allowed')).toBe(2);
    expect(delta('address_denied')).toBe(1);
  });
});

describe('address lists without proxy headers trusted', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: KEY, MFN_IP_DENYLIST: '127.0.0.0/8,::1' });
  });
  afterAll(() => t.close());

  it('decides from the socket address; X-Forwarded-For cannot talk a client off the deny list', async () => {
    const res = await request(t.server).post('/nernst').set('X-Forwarded-For', '203.0.113.5').set('X-API-Key', KEY).send(NERNST);
    expect(res.status).toBe(403);
    expect((await request(t.server).get('/health')).status).toBe(200);
  });
});

describe('address lists from the secrets backend', () => {
  let dir: TempDir;
  let mapping: string;
  let t: TestApp;
  const write = (values: Record<string, string>) => dir.write('secrets.json', JSON.stringify({ MFN_API_KEY: KEY, MFN_MASTER_KEY: TEST_MASTER_KEY, ...values }));
  const statusFrom = async (address: string) =>
    (await request(t.server).post('/nernst').set('X-Forwarded-For', address).set('X-API-Key', KEY).send(NERNST)).status;
  const refresh = async () => expect(await t.app.get(SecretsService).refresh()).toBe(true);

  beforeAll(async () => {
    dir = await TempDir.create('mfn-address-lists-');
    mapping = await write({ MFN_IP_DENYLIST: '198.51.100.1' });
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_SECRETS_BACKEND: 'file',
      MFN_SECRETS_FILE: mapping,
      MFN_SECRETS_REFRESH_S: '0',
      // Used while the backend holds no allow list.
      MFN_IP_ALLOWLIST: '198.51.100.0/24,203.0.113.0/24',
      ...PROXY,
    });
  });
  afterAll(async () => {
    await t?.close();
    await dir.remove();
  });

  it('applies the backend deny list and the environment allow list at start-up', async () => {
    expect(await statusFrom('198.51.100.1')).toBe(403);
    expect(await statusFrom('198.51.100.2')).toBe(200);
    expect(await statusFrom('203.0.113.5')).toBe(200);
    expect(await statusFrom('192.0.2.1')).toBe(403);
  });

  it('re-reads both lists on a secrets refresh; the backend value takes the place of the environment one', async () => {
    await write({ MFN_IP_DENYLIST: '198.51.100.2', MFN_IP_ALLOWLIST: '198.51.100.0/24,2001:db8::/32' });
    await refresh();
    expect(await statusFrom('198.51.100.1')).toBe(200);
    expect(await statusFrom('198.51.100.2')).toBe(403);
    expect(await statusFrom('203.0.113.5')).toBe(403);
    expect(await statusFrom('2001:db8::5')).toBe(200);
  });

  it('refuses a refreshed list that does not parse, logs an ERROR naming the variable, and keeps the previous list', async () => {
    const bad = `198.51.100.3,${'x'.repeat(40)}-not-an-address`;
    await write({ MFN_IP_DENYLIST: bad, MFN_IP_ALLOWLIST: '198.51.100.0/24' });
    await refresh();
    // The deny list did not change; the allow list (valid) did.
    expect(await statusFrom('198.51.100.2')).toBe(403);
    expect(await statusFrom('198.51.100.3')).toBe(200);
    expect(await statusFrom('2001:db8::5')).toBe(403);
    const refused = t.logs.records().filter((r) => r.message === 'address list reload refused; the previous list stays in force');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 'ERROR', variable: 'MFN_IP_DENYLIST' });
    expect(String(refused[0].reason)).toContain('entry 2');
    expect(t.logs.text()).not.toContain('-not-an-address');
  });

  it('falls back to the environment value when the backend no longer holds the list', async () => {
    await write({ MFN_IP_DENYLIST: '198.51.100.4' });
    await refresh();
    expect(await statusFrom('203.0.113.5')).toBe(200);
    expect(await statusFrom('198.51.100.4')).toBe(403);
    expect(await statusFrom('198.51.100.2')).toBe(200);
  });

  it('refuses to start when the backend list does not parse, naming the variable', async () => {
    const other = await dir.write('bad.json', JSON.stringify({ MFN_API_KEY: KEY, MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_IP_ALLOWLIST: '10.0.0.0/8,10.0.0.0/99' }));
    await expect(
      createTestApp({ MFN_ENV: 'prod', MFN_SECRETS_BACKEND: 'file', MFN_SECRETS_FILE: other }),
    ).rejects.toThrow(/^MFN_IP_ALLOWLIST from the file secrets backend is not a valid address list: entry 2 has a prefix length/);
  });
});

describe('address list configuration', () => {
  it('stops start-up on a bad entry, naming the variable', async () => {
    await expect(createTestApp({ MFN_IP_DENYLIST: '10.0.0.1,10.0.0.0/40' })).rejects.toThrow(/^Invalid configuration: MFN_IP_DENYLIST must be/);
  });
});
