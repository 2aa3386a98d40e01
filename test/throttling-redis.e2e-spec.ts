import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { RedisBucketStore } from '../src/throttling/redis-bucket.store';
import { ReplicaPair, SHARED_REDIS_URL, connectRedis, deleteKeys, fallbackGauge, startReplicaPair } from './helpers/redis';
import { ThrowawayRedis } from './helpers/redis-server';
import { createTestApp, TEST_MASTER_KEY, TestApp } from './helpers/test-app';
import { until } from './helpers/until';

jest.setTimeout(90_000);

const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const newKey = () => randomBytes(32).toString('base64url');




describe('rate limits shared by replicas through one Redis', () => {
  const prefix = `mfn-test:security:${randomBytes(6).toString('hex')}`;
  const key = newKey();
  let pair: ReplicaPair;
  let inspector: Redis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = {
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: `replica-test:${key}`,
      MFN_REDIS_URL: SHARED_REDIS_URL,
      MFN_RATE_LIMIT_KEY_PREFIX: prefix,
      MFN_RATE_LIMIT_ROUTES: '/nernst=10',
      // A long window: no token comes back while the test runs.
      MFN_RATE_LIMIT_WINDOW: '3600',
    };
    pair = await startReplicaPair(env, prefix);
    ({ a, b, inspector } = pair);
  });

  afterAll(async () => {
    await pair?.close();
  });

  it('with a limit of 10, exactly 10 of 30 requests spread over two instances succeed', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request((i % 2 === 0 ? a : b).server)
          .post('/nernst')
          .set('X-API-Key', key)
          .send(NERNST),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(limited).toHaveLength(20);
    expect(new Set(ok.map((r) => r.headers['x-ratelimit-remaining']))).toEqual(new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
    for (const r of limited) {
      expect(r.body.error_code).toBe('RATE_LIMIT_EXCEEDED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('stores one hash-tagged key per client and route, expiring after the window', async () => {
    const bucketKey = `${prefix}:{key:replica-test|/nernst}`;
    expect(await inspector.exists(bucketKey)).toBe(1);
    const ttl = await inspector.pttl(bucketKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(Number(await inspector.hget(bucketKey, 'tokens'))).toBeLessThan(1);
    const written = await inspector.keys(`${prefix}:*`);
    expect(written.every((k) => /^[^{]*\{[^}]+\}$/.test(k))).toBe(true);
  });
});

describe('the token-bucket script spends a cost (compute work budgets)', () => {
  const prefix = `mfn-test:work:${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let store: RedisBucketStore;
  const tokensOf = async (bucket: string) => Number(await redis.hget(store.keyFor(bucket), 'tokens'));

  beforeAll(async () => {
    redis = await connectRedis();
    store = new RedisBucketStore(prefix, () => redis);
  });

  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('spends `cost` tokens at once, refuses without spending, and times the retry for the missing tokens', async () => {
    const bucket = 'work|key:tenant';
    expect(await store.take(bucket, 100, 60_000, 60)).toMatchObject({ allowed: true, remaining: 40, retryAfterSeconds: 0 });
    expect(await tokensOf(bucket)).toBeGreaterThanOrEqual(40);

    const refused = await store.take(bucket, 100, 60_000, 60);
    expect(refused).toMatchObject({ allowed: false, remaining: 40 });
    // 20 missing tokens at 100 per minute: 12 s, less what refilled in between.
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(12);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(13);
    const left = await tokensOf(bucket);
    expect(left).toBeGreaterThanOrEqual(40);
    expect(left).toBeLessThan(41);

    expect(await store.take(bucket, 100, 60_000, 40)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await tokensOf(bucket)).toBeLessThan(1);
  });

  it('with a cost of 1 answers as the one-token buckets always did', async () => {
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await store.take('key:tenant|/nernst', 3, 3_600_000, i % 2 === 0 ? undefined : 1));
    expect(outcomes.map((o) => [o.allowed, o.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    // One token per 1,200 s: floor(1200 - what refilled since the last token) + 1.
    expect([1200, 1201]).toContain(outcomes[3].retryAfterSeconds);
  });
});

describe('a work budget shared by replicas through one Redis', () => {
  const prefix = `mfn-test:work-app:${randomBytes(6).toString('hex')}`;
  const key = newKey();
  let pair: ReplicaPair;
  let inspector: Redis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = {
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: `work-test:${key}`,
      MFN_REDIS_URL: SHARED_REDIS_URL,
      MFN_RATE_LIMIT_KEY_PREFIX: prefix,
      MFN_RATE_LIMIT_WINDOW: '3600',
      MFN_COMPUTE_WORK_LIMIT: '50',
      MFN_COMPUTE_WORKERS: '1',
    };
    pair = await startReplicaPair(env, prefix);
    ({ a, b, inspector } = pair);
  });

  afterAll(async () => {
    await pair?.close();
  });

  it('spends each request\'s work units from one bucket per key, whichever replica serves it', async () => {
    // 128 x 1000 cell-steps: 17 units; 50 per window hold two of them and not three.
    const simulate = (t: TestApp) => request(t.server).post('/simulate').set('X-API-Key', key).send({ grid_size: 128, steps: 1000 });
    expect((await simulate(a)).status).toBe(200);
    expect((await simulate(b)).status).toBe(200);
    const bucketKey = `${prefix}:{work|key:work-test}`;
    expect(Number(await inspector.hget(bucketKey, 'tokens'))).toBeGreaterThanOrEqual(16);
    expect(Number(await inspector.hget(bucketKey, 'tokens'))).toBeLessThan(17);

    const refused = await simulate(a);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED' });
    expect(refused.body.message).toMatch(/costs 17 work units, 16 of 50/);
    expect(Number(refused.headers['retry-after'])).toBe(refused.body.retry_after);
    // The per-route request bucket is separate: it has spent one token per request.
    expect(Number(await inspector.hget(`${prefix}:{key:work-test|/simulate}`, 'tokens'))).toBeGreaterThan(2990);
  });
});

describe('Redis outage: fail open, fail closed, recovery', () => {
  // On a unix socket, which the test stops and starts again.
  let redis: ThrowawayRedis;
  let open: TestApp;
  let closed: TestApp;
  const openKey = newKey();
  const closedKey = newKey();

  beforeAll(async () => {
    redis = await ThrowawayRedis.start({ unixSocket: true });
    const base = {
      MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_REDIS_URL: redis.socket,
      MFN_RATE_LIMIT_ROUTES: '/nernst=3',
      MFN_RATE_LIMIT_WINDOW: '3600',
    };
    open = await createTestApp({ ...base, MFN_API_KEYS: `open:${openKey}` });
    closed = await createTestApp({ ...base, MFN_API_KEYS: `closed:${closedKey}`, MFN_RATE_LIMIT_FAIL_OPEN: 'false' });
  });

  afterAll(async () => {
    await Promise.all([open?.close(), closed?.close()]);
    await redis?.dispose();
  });

  const nernst = (t: TestApp, key: string) => request(t.server).post('/nernst').set('X-API-Key', key).send(NERNST);
  const outageWarnings = (t: TestApp) => t.logs.records().filter((r) => String(r.message).startsWith('Redis unreachable'));

  it('counts in Redis while it is up, and survives a flushed script cache (EVALSHA → EVAL)', async () => {
    const first = await nernst(open, openKey);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('2');

    const admin = new Redis(redis.socket);
    expect(await admin.exists('mfn:rl:{key:open|/nernst}')).toBe(1);
    await admin.script('FLUSH');
    admin.disconnect();

    const second = await nernst(open, openKey);
    expect(second.status).toBe(200);
    expect(second.headers['x-ratelimit-remaining']).toBe('1');
    expect((await nernst(closed, closedKey)).status).toBe(200);
  });

  it('when Redis goes away: fail-open serves from memory (still limited), fail-closed answers 503', async () => {
    await redis.stop();

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await nernst(open, openKey)).status);
    // A fresh in-memory bucket of 3, then the limit holds again: never unlimited, never a 500.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(outageWarnings(open)).toHaveLength(1);
    expect(outageWarnings(open)[0]).toMatchObject({ level: 'WARNING', fail_open: true });
    expect(await fallbackGauge()).toBe(1);

    for (let i = 0; i < 3; i++) {
      const refused = await nernst(closed, closedKey);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', request_id: refused.headers['x-request-id'] });
      expect(refused.headers['retry-after']).toBe('1');
    }
    expect(outageWarnings(closed)).toHaveLength(1);

    // Probes never depend on Redis.
    expect((await request(closed.server).get('/health')).status).toBe(200);
  });

  it('recovers by itself once Redis is back', async () => {
    await redis.resume();
    // Any protected request probes Redis again; the unknown-path bucket keeps /nernst's budget intact.
    await until('the fail-open instance to use Redis again', async () => {
      await request(open.server).get('/recovery-probe').set('X-API-Key', openKey);
      return open.logs.records().some((r) => r.message === 'Redis reachable again: rate limiting is back on shared buckets');
    });
    expect(await fallbackGauge()).toBe(0);
    // The restarted Redis lost its data: a fresh shared bucket, where the exhausted memory bucket would say 429.
    const served = await nernst(open, openKey);
    expect(served.status).toBe(200);
    expect(served.headers['x-ratelimit-remaining']).toBe('2');

    await until('the fail-closed instance to serve again', async () => (await nernst(closed, closedKey)).status === 200);
    expect(outageWarnings(open)).toHaveLength(1);
  });
});
