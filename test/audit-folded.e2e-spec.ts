import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { TEST_MASTER_KEY, TestApp, createTestApp } from './helpers/test-app';

// MFN_AUDIT_GRANTED_EVENTS=folded: a served request's authentication_success and access_granted
// travel in its access record, one line instead of three; everything else is unchanged.
const COMPUTE_KEY = randomBytes(32).toString('base64url');
const CRYPTO_KEY = randomBytes(32).toString('base64url');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };

async function folded(level: string): Promise<TestApp> {
  return createTestApp({
    MFN_ENV: 'prod',
    MFN_MASTER_KEY: TEST_MASTER_KEY,
    MFN_API_KEYS: [`batch:${COMPUTE_KEY}:compute`, `signer:${CRYPTO_KEY}:crypto`].join(','),
    MFN_AUDIT_GRANTED_EVENTS: 'folded',
    MFN_LOG_LEVEL: level,
    MFN_AUTH_LOCKOUT_ENABLED: 'false',
  });
}

const linesOf = (t: TestApp, id: string) => t.logs.records().filter((r) => r.request_id === id);

describe.each(['INFO', 'WARNING'])('granted events folded into the access record (MFN_LOG_LEVEL=%s)', (level) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await folded(level);
  });
  afterAll(async () => t.close());

  it('a served request writes one line holding the access record and both audit events', async () => {
    const res = await request(t.server).post('/nernst').set('X-API-Key', COMPUTE_KEY).set('X-Request-ID', `fold-ok-${level}`).send(NERNST);
    expect(res.status).toBe(200);
    const lines = linesOf(t, `fold-ok-${level}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      logger: 'mfn.access',
      level: 'INFO',
      action: 'api_request',
      audit_event: true,
      audit_actions: ['authentication_success', 'access_granted'],
      user_id: 'batch',
      resource: '/nernst',
      endpoint: '/nernst',
      method: 'POST',
      status: 200,
      client_ip: '127.xxx.xxx.xxx',
    });
    expect(typeof lines[0].duration_ms).toBe('number');
  });

  it('a refused role keeps its access_denied event; the access record carries the authentication', async () => {
    const res = await request(t.server).post('/nernst').set('X-API-Key', CRYPTO_KEY).set('X-Request-ID', `fold-denied-${level}`).send(NERNST);
    expect(res.status).toBe(403);
    const lines = linesOf(t, `fold-denied-${level}`);
    const denied = lines.filter((r) => r.action === 'access_denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ logger: 'mfn.security.audit', audit_event: true, severity: 'WARNING', user_id: 'signer' });
    const access = lines.filter((r) => r.action === 'api_request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ audit_event: true, audit_actions: ['authentication_success'], user_id: 'signer', status: 403 });
  });

  it('a failed authentication is its own audit line, as without folding', async () => {
    const res = await request(t.server).post('/nernst').set('X-API-Key', `${COMPUTE_KEY}x`).set('X-Request-ID', `fold-401-${level}`).send(NERNST);
    expect(res.status).toBe(401);
    const lines = linesOf(t, `fold-401-${level}`);
    expect(lines.filter((r) => r.action === 'authentication_failure')).toHaveLength(1);
    expect(lines.some((r) => Array.isArray(r.audit_actions))).toBe(false);
    // The plain access record of a refused request follows MFN_LOG_LEVEL like any access record.
    expect(lines.filter((r) => r.action === 'api_request')).toHaveLength(level === 'INFO' ? 1 : 0);
  });

  it('no key material in any line', async () => {
    const text = t.logs.text();
    for (const key of [COMPUTE_KEY, CRYPTO_KEY]) expect(text).not.toContain(key.slice(0, 12));
  });
});

describe('granted events by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEYS: `batch:${COMPUTE_KEY}:compute` });
  });
  afterAll(async () => t.close());

  it('are separate lines, and the access record is not an audit record', async () => {
    await request(t.server).post('/nernst').set('X-API-Key', COMPUTE_KEY).set('X-Request-ID', 'sep-ok').send(NERNST);
    const lines = linesOf(t, 'sep-ok');
    expect(lines.map((r) => r.action)).toEqual(['authentication_success', 'access_granted', 'api_request']);
    expect(lines[2].audit_event).toBeUndefined();
  });
});
