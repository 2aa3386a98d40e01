import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestApp, LogCapture, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { parseExposition, sampleValue } from './ops/support/prometheus-text';

jest.setTimeout(60_000);

const newKey = () => randomBytes(32).toString('base64url');
const KEY = newKey();
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const FAILURES = 5;
const LOCKOUT_S = 120;

/** With MFN_TRUST_PROXY_HEADERS=true and one trusted hop, the right-most X-Forwarded-For entry is the client. */
const PROXY = { MFN_TRUST_PROXY_HEADERS: 'true', MFN_TRUSTED_PROXIES: '1' };
const ENV = {
  MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
  MFN_API_KEY: KEY,
  ...PROXY,
  MFN_AUTH_LOCKOUT_FAILURES: String(FAILURES),
  MFN_AUTH_LOCKOUT_WINDOW_S: '600',
  MFN_AUTH_LOCKOUT_S: String(LOCKOUT_S),
};

function bruteForceEvents(logs: LogCapture): Record<string, unknown>[] {
  return logs
    .records()
    .filter((r) => r.audit_event === true && r.action === 'suspicious_activity' && (r.details as Record<string, unknown>)?.activity_type === 'brute_force');
}

async function metricValues(t: TestApp): Promise<{ lockouts: number; refused: number }> {
  const families = parseExposition((await request(t.server).get('/metrics').set('X-Forwarded-For', '192.0.2.250')).text);
  return {
    lockouts: sampleValue(families, 'mfn_auth_lockouts_total', {}),
    refused: sampleValue(families, 'mfn_auth_lockout_rejections_total', {}),
  };
}

function expectLockedOut(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED', request_id: res.headers['x-request-id'] });
  expect(res.body.message).toMatch(/too many failed authentications/i);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_S);
  expect(res.body.retry_after).toBe(retryAfter);
  // Like the rate limiter's own 429: nothing left until Retry-After.
  expect(res.headers['x-ratelimit-remaining']).toBe('0');
}

describe('brute-force lockout (in memory)', () => {
  let t: TestApp;
  const from = (address: string, key?: string, path = '/nernst') => {
    const req = request(t.server).post(path).set('X-Forwarded-For', address);
    return (key === undefined ? req : req.set('X-API-Key', key)).send(NERNST);
  };

  beforeAll(async () => {
    t = await createTestApp(ENV);
  });
  afterAll(() => t.close());

  it(`answers 401 to ${FAILURES} failed authentications, then 429 with Retry-After to the same address`, async () => {
    const before = await metricValues(t);
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < FAILURES; i++) {
      // Missing and wrong keys both count.
      const res = await from('203.0.113.10', i % 2 === 0 ? newKey() : undefined);
      statuses.push(res.status);
      ids.push(res.headers['x-request-id']);
    }
    expect(statuses).toEqual(Array(FAILURES).fill(401));
    expectLockedOut(await from('203.0.113.10', newKey()));

    const events = bruteForceEvents(t.logs);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      severity: 'ERROR',
      category: 'security',
      success: false,
      source_ip: '203.xxx.xxx.xxx',
      // The failure that reached the threshold.
      request_id: ids[FAILURES - 1],
      details: { activity_type: 'brute_force', failures: FAILURES, lockout_seconds: LOCKOUT_S },
    });
    const after = await metricValues(t);
    expect(after.lockouts - before.lockouts).toBe(1);
    expect(after.refused - before.refused).toBe(1);
  });

  it('refuses the right key from the locked address, on every protected route, without writing another event', async () => {
    expectLockedOut(await from('203.0.113.10', KEY));
    expectLockedOut(await from('203.0.113.10', KEY, '/api/keypair'));
    expectLockedOut(await request(t.server).get('/no-such-route').set('X-Forwarded-For', '203.0.113.10').set('X-API-Key', KEY));
    // A lock is not a success: no authentication_success for it, and no second lock event.
    const successes = t.logs.records().filter((r) => r.action === 'authentication_success' && r.source_ip === '203.xxx.xxx.xxx');
    expect(successes).toHaveLength(0);
    expect(bruteForceEvents(t.logs)).toHaveLength(1);
  });

  it('answers the right key and a wrong one from the locked address alike: nothing to tell them apart', async () => {
    const right = await from('203.0.113.10', KEY);
    const wrong = await from('203.0.113.10', newKey());
    const shape = (res: request.Response) => ({
      status: res.status,
      code: res.body.error_code,
      message: res.body.message,
      headers: Object.keys(res.headers)
        .filter((h) => !['date', 'x-request-id', 'retry-after'].includes(h))
        .sort()
        // eslint-disable-next-line security/detect-object-injection -- `h` is one of the header names the test lists
        .map((h) => [h, res.headers[h]]),
    });
    expect(shape(right)).toEqual(shape(wrong));
    // The rate limiter (which picks a bucket by key) never ran: its Limit header is absent.
    expect(right.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('keeps public routes open to the locked address', async () => {
    expect((await request(t.server).get('/health').set('X-Forwarded-For', '203.0.113.10')).status).toBe(200);
    expect((await request(t.server).get('/metrics').set('X-Forwarded-For', '203.0.113.10')).status).toBe(200);
  });

  it('leaves other addresses alone', async () => {
    expect((await from('203.0.113.11', KEY)).status).toBe(200);
    expect((await from('203.0.113.11', newKey())).status).toBe(401);
    expect((await from('198.51.100.10', KEY)).status).toBe(200);
  });

  it('locks an IPv6 client by its /64: another address of that /64 is refused, another /64 is not', async () => {
    for (let i = 1; i <= FAILURES; i++) expect((await from(`2001:db8:7:1::${i.toString(16)}`, newKey())).status).toBe(401);
    expectLockedOut(await from('2001:db8:7:1:ffff:ffff:ffff:fffe', KEY));
    expect((await from('2001:db8:7:2::1', KEY)).status).toBe(200);
    expect(bruteForceEvents(t.logs)).toHaveLength(2);
  });

  it('counts an IPv4-mapped IPv6 client as its IPv4 address', async () => {
    for (let i = 0; i < FAILURES; i++) {
      const address = i % 2 === 0 ? '::ffff:198.51.100.20' : '198.51.100.20';
      expect((await from(address, newKey())).status).toBe(401);
    }
    expectLockedOut(await from('198.51.100.20', KEY));
    expectLockedOut(await from('::ffff:c633:6414', KEY));
  });
});

describe('brute-force lockout with a route bucket smaller than the threshold', () => {
  let t: TestApp;
  const from = (key: string) => request(t.server).post('/nernst').set('X-Forwarded-For', '198.51.100.60').set('X-API-Key', key).send(NERNST);

  beforeAll(async () => {
    t = await createTestApp({ ...ENV, MFN_RATE_LIMIT_ROUTES: '/nernst=2', MFN_RATE_LIMIT_WINDOW: '3600' });
  });
  afterAll(() => t.close());

  it("counts the rate limiter's 429s to wrong keys as failures, so an emptied bucket is no free key oracle", async () => {
    expect([(await from(newKey())).status, (await from(newKey())).status]).toEqual([401, 401]);
    // The address's bucket is empty: wrong keys meet the rate limiter, a right key has its own bucket.
    const limited = await from(newKey());
    expect(limited.status).toBe(429);
    expect(limited.body.message).toBe('Rate limit exceeded');
    expect((await from(KEY)).status).toBe(200);
    for (let i = 0; i < FAILURES - 3; i++) expect((await from(newKey())).status).toBe(429);
    // That was the FAILURES-th failure: the right key is refused from now on.
    expect(bruteForceEvents(t.logs)).toHaveLength(1);
    const locked = await from(KEY);
    expectLockedOut(locked);
  });
});

describe('brute-force lockout of the metrics token', () => {
  const TOKEN = 'scrape-token-for-the-lockout-suite-0123456789';
  let t: TestApp;
  const scrape = (address: string, token: string) =>
    request(t.server).get('/metrics').set('X-Forwarded-For', address).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await createTestApp({ ...ENV, MFN_METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('counts wrong tokens as failed authentications and then refuses the right token too', async () => {
    for (let i = 0; i < FAILURES; i++) expect((await scrape('192.0.2.30', `wrong-${i}`)).status).toBe(401);
    expectLockedOut(await scrape('192.0.2.30', TOKEN));
    // The lock is per address, whatever route it was earned on.
    expectLockedOut(await request(t.server).post('/nernst').set('X-Forwarded-For', '192.0.2.30').set('X-API-Key', KEY).send(NERNST));
    expect((await scrape('192.0.2.31', TOKEN)).status).toBe(200);
    expect(bruteForceEvents(t.logs)).toHaveLength(1);
  });

  it('adds API-key and token failures of one address together', async () => {
    for (let i = 0; i < FAILURES - 1; i++) {
      expect((await request(t.server).post('/nernst').set('X-Forwarded-For', '192.0.2.40').send(NERNST)).status).toBe(401);
    }
    expect((await request(t.server).get('/metrics').set('X-Forwarded-For', '192.0.2.40')).status).toBe(401);
    expectLockedOut(await scrape('192.0.2.40', TOKEN));
  });
});

describe('brute-force lockout switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ...ENV, MFN_AUTH_LOCKOUT_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('keeps answering 401 and lets the right key in (the rate limiter still applies)', async () => {
    for (let i = 0; i < FAILURES * 3; i++) {
      expect((await request(t.server).post('/nernst').set('X-Forwarded-For', '203.0.113.50').set('X-API-Key', newKey()).send(NERNST)).status).toBe(401);
    }
    expect((await request(t.server).post('/nernst').set('X-Forwarded-For', '203.0.113.50').set('X-API-Key', KEY).send(NERNST)).status).toBe(200);
    expect(bruteForceEvents(t.logs)).toHaveLength(0);
  });
});
