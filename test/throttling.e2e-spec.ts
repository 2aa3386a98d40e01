import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { registryValue } from './helpers/metrics';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { listenOnce, rawRequest } from './helpers/raw-http';

jest.setTimeout(60_000);

const newKey = () => randomBytes(32).toString('base64url');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };

const rejections = (route: string) => registryValue('mfn_rate_limit_rejections_total', { route });

describe('token-bucket rate limiting (in memory)', () => {
  const KEY_A = newKey();
  const KEY_B = newKey();
  let t: TestApp;
  let server: Server;

  beforeEach(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: `alice:${KEY_A},bob:${KEY_B}`,
      MFN_RATE_LIMIT_ROUTES: '/nernst=3',
      MFN_RATE_LIMIT_REQUESTS: '4',
    });
    server = t.server as Server;
    await listenOnce(server);
  });
  afterEach(async () => t.close());

  const nernst = (key = KEY_A) => request(server).post('/nernst').set('X-API-Key', key).send(NERNST);

  it('sends X-RateLimit-Limit and X-RateLimit-Remaining, then 429 with Retry-After and the envelope', async () => {
    const before = await rejections('/nernst');
    const ok = [await nernst(), await nernst(), await nernst()];
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(ok.map((r) => r.headers['x-ratelimit-limit'])).toEqual(['3', '3', '3']);
    expect(ok.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);

    const limited = await nernst();
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // 3 tokens per 60 s: a token every 20 s, so floor(<20) + 1 is 20 at most.
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(limited.body).toMatchObject({
      error_code: 'RATE_LIMIT_EXCEEDED',
      request_id: limited.headers['x-request-id'],
      retry_after: retryAfter,
    });
    expect(limited.body.detail).toBe(limited.body.message);
    expect(await rejections('/nernst')).toBe(before + 1);

    const event = t.logs.records().find((r) => r.action === 'rate_limit_exceeded');
    expect(event).toMatchObject({
      audit_event: true,
      category: 'security',
      severity: 'WARNING',
      success: false,
      user_id: 'alice',
      request_id: limited.headers['x-request-id'],
      details: { route: '/nernst', limit: 3, retry_after: retryAfter },
    });
  });

  it('throttles failed authentications too (the limiter runs before authentication)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await nernst(newKey())).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // The brute-forcing address does not consume a valid key's budget.
    expect((await nernst(KEY_A)).status).toBe(200);
  });

  it('gives each API key its own bucket, separate from the anonymous address bucket', async () => {
    for (let i = 0; i < 3; i++) expect((await nernst(KEY_A)).status).toBe(200);
    expect((await nernst(KEY_A)).status).toBe(429);
    expect((await nernst(KEY_B)).status).toBe(200);
    expect((await request(server).post('/nernst').send(NERNST)).status).toBe(401);
  });

  it('keeps one bucket per route template: other routes are unaffected', async () => {
    for (let i = 0; i < 4; i++) await nernst();
    const health = await request(server).get('/health');
    expect(health.status).toBe(200);
    // /health's 1000 per minute from the seed table.
    expect(health.headers['x-ratelimit-limit']).toBe('1000');
  });

  it('path spelling does not mint new buckets', async () => {
    const paths = ['/nernst', '/NERNST', '/nernst/', '/Nernst'];
    const statuses: number[] = [];
    for (const path of paths) {
      const res = await rawRequest(server, 'POST', path, { 'content-type': 'application/json', 'x-api-key': KEY_A }, JSON.stringify(NERNST));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('unknown paths share one bucket per client (default limit), and 404s count', async () => {
    const statuses: number[] = [];
    for (const path of ['/a', '/b', '/c/d', '/e?x=1', '/f', '/g']) {
      statuses.push((await request(server).get(path).set('X-API-Key', KEY_A)).status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  });

  it('without a valid key, every protected route and unknown path shares one bucket and one limit (no route enumeration)', async () => {
    const answers = [];
    for (const path of ['/nernst', '/api/encrypt', '/no/such/route']) answers.push(await request(server).post(path).send(NERNST));
    // The smallest route limit (here /nernst=3), counting down across routes.
    expect(answers.map((r) => [r.status, r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining']])).toEqual([
      [401, '3', '2'],
      [401, '3', '1'],
      [401, '3', '0'],
    ]);
    expect((await request(server).post('/simulate').send(NERNST)).status).toBe(429);
    // A valid key keeps its own per-route buckets.
    expect((await nernst()).headers['x-ratelimit-remaining']).toBe('2');
  });

  it('ignores X-Forwarded-For unless proxy headers are trusted', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(server).post('/nernst').set('X-Forwarded-For', `203.0.113.${i}`).send(NERNST)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('never answers 500 under concurrent load: exactly the capacity is served', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => nernst(KEY_B)));
    const counts = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 200: 3, 429: 17 });
  });
});

describe('client address behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEY: newKey(),
      MFN_RATE_LIMIT_ROUTES: '/nernst=2',
      MFN_TRUST_PROXY_HEADERS: 'true',
      MFN_TRUSTED_PROXIES: '1',
    });
  });
  afterAll(async () => t.close());

  const from = (xff: string) => request(t.server).post('/nernst').set('X-Forwarded-For', xff).send(NERNST);

  it('uses the address the trusted proxy saw (right-most entry), not the spoofable left-most one', async () => {
    expect([(await from('198.51.100.7')).status, (await from('198.51.100.7')).status, (await from('198.51.100.7')).status]).toEqual([
      401, 401, 429,
    ]);
    // Another client behind the same proxy has its own budget.
    expect((await from('198.51.100.8')).status).toBe(401);
    // A client prepending fake addresses is still the address the proxy appended.
    expect((await from('10.0.0.1, 1.2.3.4, 198.51.100.7')).status).toBe(429);
    const event = t.logs.records().find((r) => r.action === 'rate_limit_exceeded');
    expect(event?.source_ip).toBe('198.xxx.xxx.xxx');
  });
});

describe('limits configuration', () => {
  it('is off in dev by default: no rate-limit headers', async () => {
    const t = await createTestApp({ MFN_ENV: 'dev' });
    const res = await request(t.server).post('/nernst').send(NERNST);
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    await t.close();
  });

  it('scales the seed per-minute limits to MFN_RATE_LIMIT_WINDOW and refills over the window', async () => {
    const t = await createTestApp({ MFN_ENV: 'dev', MFN_RATE_LIMIT_ENABLED: 'true', MFN_RATE_LIMIT_WINDOW: '1', MFN_RATE_LIMIT_ROUTES: '/nernst=2' });
    const health = await request(t.server).get('/health');
    expect(health.headers['x-ratelimit-limit']).toBe(String(Math.round(1000 / 60)));
    expect((await request(t.server).post('/nernst').send(NERNST)).status).toBe(200);
    expect((await request(t.server).post('/nernst').send(NERNST)).status).toBe(200);
    const limited = await request(t.server).post('/nernst').send(NERNST);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await request(t.server).post('/nernst').send(NERNST)).status).toBe(200);
    await t.close();
  });

  it('refuses MFN_RATE_LIMIT_BACKEND=redis without a Redis URL at start-up', async () => {
    await expect(createTestApp({ MFN_ENV: 'dev', MFN_RATE_LIMIT_ENABLED: 'true', MFN_RATE_LIMIT_BACKEND: 'redis' })).rejects.toThrow(
      /MFN_RATE_LIMIT_BACKEND=redis needs a Redis URL/,
    );
  });
});
