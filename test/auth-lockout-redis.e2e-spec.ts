import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Agent } from 'node:http';
import request from 'supertest';
import { sendHttp } from './resilience/support/wire-client';
import { ReplicaPair, SHARED_REDIS_URL, connectRedis, deleteKeys, startReplicaPair } from './helpers/redis';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { createTestApp, LogCapture, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { ThrowawayRedis } from './helpers/redis-server';
import { sleep } from './helpers/until';

jest.setTimeout(90_000);

const newKey = () => randomBytes(32).toString('base64url');
const KEY = newKey();
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const FAILURES = 4;
const LOCKOUT_S = 300;

function envFor(redisUrl: string, prefix: string): Record<string, string> {
  return {
    MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
    MFN_API_KEY: KEY,
    MFN_REDIS_URL: redisUrl,
    MFN_RATE_LIMIT_KEY_PREFIX: prefix,
    MFN_TRUST_PROXY_HEADERS: 'true',
    MFN_AUTH_LOCKOUT_FAILURES: String(FAILURES),
    MFN_AUTH_LOCKOUT_WINDOW_S: '600',
    MFN_AUTH_LOCKOUT_S: String(LOCKOUT_S),
  };
}

function bruteForceEvents(...logs: LogCapture[]): Record<string, unknown>[] {
  return logs.flatMap((l) =>
    l.records().filter((r) => r.action === 'suspicious_activity' && (r.details as Record<string, unknown>)?.activity_type === 'brute_force'),
  );
}

const attempt = (t: TestApp, address: string, key: string) =>
  request(t.server).post('/nernst').set('X-Forwarded-For', address).set('X-API-Key', key).send(NERNST);

describe('a burst of guesses against the real process', () => {
  const prefix = `mfn-test:lockout-burst:${randomBytes(6).toString('hex')}`;
  let svc: ServiceProcess;

  beforeAll(async () => {
    const port = await freePort();
    svc = startServiceProcess({ ...envFor(SHARED_REDIS_URL, prefix), PORT: String(port), MFN_AUTH_LOCKOUT_FAILURES: '10', MFN_LOG_LEVEL: 'WARNING' });
    await waitUntilUp(svc);
  });

  afterAll(async () => {
    await svc?.stop();
    const redis = await connectRedis();
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('refuses a correct key sent among 600 concurrent guesses once the guesses before it have locked the address', async () => {
    // Every request passes the first lock check before the failures that lock the address are
    // written; the correct key is checked against the lock again once it turns out valid.
    const routes = ['/nernst', '/simulate', '/api/encrypt', '/api/keys', '/api/keys/a/rotate', '/no/such/route'];
    const agent = new Agent({ keepAlive: true, maxSockets: 400 });
    const position = 40;
    const results = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        sendHttp(
          svc.port,
          { method: 'POST', path: routes[i % routes.length], headers: { 'x-forwarded-for': '198.51.100.77', 'x-api-key': i === position ? KEY : newKey() }, body: '' },
          agent,
        ),
      ),
    );
    agent.destroy();
    // eslint-disable-next-line security/detect-object-injection -- integer index into the test's own results
    expect(results[position].status).toBe(429);
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });
});

describe('brute-force lockout shared by replicas through one Redis', () => {
  const prefix = `mfn-test:lockout:${randomBytes(6).toString('hex')}`;
  let pair: ReplicaPair;
  let inspector: Redis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    pair = await startReplicaPair(envFor(SHARED_REDIS_URL, prefix), prefix);
    ({ a, b, inspector } = pair);
  });

  afterAll(async () => {
    await pair?.close();
  });

  it('failures on one instance lock the address on the other, for the right key too', async () => {
    for (let i = 0; i < FAILURES; i++) expect((await attempt(a, '203.0.113.1', newKey())).status).toBe(401);
    const locked = await attempt(b, '203.0.113.1', KEY);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED', request_id: locked.headers['x-request-id'] });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(LOCKOUT_S);
    expect(locked.body.retry_after).toBe(Number(locked.headers['retry-after']));
    expect((await attempt(a, '203.0.113.1', KEY)).status).toBe(429);
    expect((await attempt(b, '203.0.113.2', KEY)).status).toBe(200);
    expect(bruteForceEvents(a.logs, b.logs)).toHaveLength(1);
  });

  it('adds the failures seen by both instances together', async () => {
    for (let i = 0; i < FAILURES - 1; i++) expect((await attempt(i % 2 === 0 ? a : b, '203.0.113.3', newKey())).status).toBe(401);
    expect((await attempt(b, '203.0.113.3', KEY)).status).toBe(200);
    expect((await attempt(a, '203.0.113.3', newKey())).status).toBe(401);
    expect((await attempt(b, '203.0.113.3', KEY)).status).toBe(429);
  });

  it('reports exactly one lock when many failures race on both instances', async () => {
    const before = bruteForceEvents(a.logs, b.logs).length;
    const results = await Promise.all(
      Array.from({ length: FAILURES * 5 }, (_, i) => attempt(i % 2 === 0 ? a : b, '2001:db8:99:1::1', newKey())),
    );
    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses].every((s) => s === 401 || s === 429)).toBe(true);
    expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(FAILURES);
    expect(bruteForceEvents(a.logs, b.logs).length - before).toBe(1);
    expect((await attempt(b, '2001:db8:99:1:ffff::1', KEY)).status).toBe(429);
  });

  it('keeps one hash-tagged lock key per address, expiring with the lock, and no count once locked', async () => {
    const lockKey = `${prefix}:lockout:{203.0.113.1}:lock`;
    const ttl = await inspector.pttl(lockKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(LOCKOUT_S * 1000);
    expect(await inspector.exists(`${prefix}:lockout:{203.0.113.1}:failures`)).toBe(0);
    expect(await inspector.exists(`${prefix}:lockout:{2001:db8:99:1::/64}:lock`)).toBe(1);

    // A count below the threshold lives as long as the window.
    expect((await attempt(a, '203.0.113.4', newKey())).status).toBe(401);
    const countKey = `${prefix}:lockout:{203.0.113.4}:failures`;
    expect(await inspector.get(countKey)).toBe('1');
    const countTtl = await inspector.pttl(countKey);
    expect(countTtl).toBeGreaterThan(0);
    expect(countTtl).toBeLessThanOrEqual(600_000);

    const lockoutKeys = await inspector.keys(`${prefix}:lockout:*`);
    expect(lockoutKeys.length).toBeGreaterThan(0);
    expect(lockoutKeys.every((k) => /^[^{]*\{[^}]+\}:(lock|failures)$/.test(k))).toBe(true);
  });
});

describe('brute-force lockout while Redis fails', () => {
  const prefix = `mfn-test:lockout-outage:${randomBytes(6).toString('hex')}`;
  let redis: ThrowawayRedis;
  let admin: Redis;
  let t: TestApp;

  const lockoutWarnings = () =>
    t.logs.records().filter((r) => r.logger === 'mfn.auth.lockout' && r.level === 'WARNING');

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    t = await createTestApp(envFor(redis.url, prefix));
  });

  afterAll(async () => {
    await t?.close();
    admin?.disconnect();
    await redis?.dispose();
  });

  it('counts in Redis while it works', async () => {
    expect((await attempt(t, '198.51.100.1', newKey())).status).toBe(401);
    expect(await admin.get(`${prefix}:lockout:{198.51.100.1}:failures`)).toBe('1');
    expect(lockoutWarnings()).toHaveLength(0);
  });

  it('falls back to memory when Redis refuses the write: requests never fail, one WARNING per outage', async () => {
    // Every write is refused with an OOM error while the connection stays up.
    await admin.config('SET', 'maxmemory', '1');
    for (let i = 0; i < FAILURES; i++) expect((await attempt(t, '198.51.100.2', newKey())).status).toBe(401);
    expect((await attempt(t, '198.51.100.2', KEY)).status).toBe(429);
    expect((await attempt(t, '198.51.100.3', KEY)).status).toBe(200);
    expect(lockoutWarnings()).toHaveLength(1);
    expect(bruteForceEvents(t.logs)).toHaveLength(1);
  });

  it('goes back to Redis by itself; a lock set in memory during the outage keeps holding', async () => {
    await admin.config('SET', 'maxmemory', '0');
    // Each probe from a fresh address: one that failed in memory meanwhile could lock itself there.
    let counted = false;
    for (let i = 10; i < 100 && !counted; i++) {
      await attempt(t, `198.51.100.${i}`, newKey());
      counted = (await admin.exists(`${prefix}:lockout:{198.51.100.${i}}:failures`)) === 1;
      if (!counted) await sleep(200);
    }
    expect(counted).toBe(true);
    expect(t.logs.records().some((r) => r.logger === 'mfn.auth.lockout' && r.message === 'Lockout store back on Redis: lockouts are shared by the replicas again')).toBe(true);
    expect((await attempt(t, '198.51.100.2', KEY)).status).toBe(429);
    expect(lockoutWarnings()).toHaveLength(1);
  });
});
