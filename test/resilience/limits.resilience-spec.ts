import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import Redis from 'ioredis';
import { ComputePoolService } from '../../src/simulation/compute-pool.service';
import { parseExposition, sampleValue } from '../ops/support/prometheus-text';
import { registryValue } from '../helpers/metrics';
import { listenOnce } from '../helpers/raw-http';
import { SHARED_REDIS_URL, connectRedis, deleteKeys } from '../helpers/redis';
import { TEST_MASTER_KEY, TestApp, createTestApp } from '../helpers/test-app';
import { bodyOf } from './support/load';
import { WireOutcome, mapConcurrently, sendHttp } from './support/wire-client';

/**
 * Limits hold under concurrent load: two instances sharing one Redis grant exactly the combined
 * rate limit per client, and the compute queue sheds load with 503 + Retry-After at its bound
 * instead of growing.
 */
jest.setTimeout(120_000);

const NERNST = JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 });

/** Fisher-Yates with a fixed linear congruential generator: the same order on every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    // eslint-disable-next-line security/detect-object-injection -- integer indexes of a Fisher-Yates shuffle
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}


function expectRateLimited(outcome: WireOutcome): void {
  expect(outcome.status).toBe(429);
  expect(bodyOf(outcome)).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED', request_id: outcome.headers['x-request-id'] });
  const retryAfter = Number(outcome.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(bodyOf(outcome)?.retry_after).toBe(retryAfter);
  expect(outcome.headers['x-ratelimit-remaining']).toBe('0');
}

describe('two instances and one Redis hold the combined rate limit exactly', () => {
  const prefix = `mfn-test:resilience:${randomBytes(6).toString('hex')}`;
  const keys = { a: randomBytes(24).toString('hex'), b: randomBytes(24).toString('hex'), c: randomBytes(24).toString('hex') };
  const instances: { t: TestApp; port: number; agent: Agent }[] = [];
  let inspector: Redis;

  beforeAll(async () => {
    inspector = await connectRedis();
    const env = {
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: Object.entries(keys).map(([id, key]) => `${id}:${key}`).join(','),
      MFN_REDIS_URL: SHARED_REDIS_URL,
      MFN_RATE_LIMIT_KEY_PREFIX: prefix,
      MFN_CRYPTO_REDIS_PREFIX: `${prefix}:crypto:`,
      MFN_RATE_LIMIT_ROUTES: '/nernst=60',
      // A long window: no token comes back while the test runs.
      MFN_RATE_LIMIT_WINDOW: '3600',
      // Every client here shares 127.0.0.1: the anonymous client's failed authentications would
      // lock the keyed clients out too. This suite measures the rate limiter alone.
      MFN_AUTH_LOCKOUT_ENABLED: 'false',
    };
    for (let i = 0; i < 2; i++) {
      const t = await createTestApp(env);
      instances.push({ t, port: await listenOnce(t.server), agent: new Agent({ keepAlive: true, maxSockets: 32 }) });
    }
  });

  afterAll(async () => {
    for (const { t, agent } of instances) {
      agent.destroy();
      await t.close();
    }
    await deleteKeys(inspector, `${prefix}:*`);
    inspector.disconnect();
  });

  it('600 requests over 64 connections: exactly 60 per client pass, the rest get 429 with Retry-After', async () => {
    const clients = ['a', 'b', 'c', 'anonymous'] as const;
    const plan = shuffled(
      clients.flatMap((client) => Array.from({ length: 150 }, () => client)),
      20260308,
    );
    const answers = await mapConcurrently(plan, 64, async (client, i) => {
      const instance = instances[i % 2];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      // eslint-disable-next-line security/detect-object-injection -- `client` is a, b or c, the keys of `keys`
      if (client !== 'anonymous') headers['x-api-key'] = keys[client];
      return { client, instance: i % 2, outcome: await sendHttp(instance.port, { method: 'POST', path: '/nernst', headers, body: NERNST }, instance.agent) };
    });

    for (const client of clients) {
      const mine = answers.filter((a) => a.client === client);
      const passed = mine.filter((a) => a.outcome.status !== 429);
      // A key's own budget; without a key the address's budget, spent by failed authentications.
      expect({ client, passed: passed.length, status: [...new Set(passed.map((a) => a.outcome.status))] }).toEqual({
        client,
        passed: 60,
        status: [client === 'anonymous' ? 401 : 200],
      });
      expect(passed.map((a) => Number(a.outcome.headers['x-ratelimit-remaining'])).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
      // Both instances spent from the one bucket.
      expect(new Set(passed.map((a) => a.instance))).toEqual(new Set([0, 1]));
      for (const a of mine.filter((m) => m.outcome.status === 429)) expectRateLimited(a.outcome);
    }
    const buckets = await inspector.keys(`${prefix}:*`);
    // Without a valid key the address spends from its one bucket for every protected route.
    expect(buckets.sort()).toEqual([`${prefix}:{ip:127.0.0.1|unauthenticated}`, `${prefix}:{key:a|/nernst}`, `${prefix}:{key:b|/nernst}`, `${prefix}:{key:c|/nernst}`]);
  });
});

describe('the compute queue sheds load instead of growing', () => {
  let t: TestApp;
  let port: number;
  let pool: ComputePoolService;

  beforeAll(async () => {
    // One caller sends the whole burst: its share (MFN_COMPUTE_MAX_PER_KEY) is raised above the pool's capacity.
    t = await createTestApp({ MFN_ENV: 'dev', MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '3', MFN_COMPUTE_MAX_PER_KEY: '5' });
    port = await listenOnce(t.server);
    pool = t.app.get(ComputePoolService);
  });

  afterAll(async () => {
    await t?.close();
  });

  const gauge = () => registryValue('mfn_compute_queue_depth');
  const rejections = (reason: string) => registryValue('mfn_compute_rejections_total', { reason });

  it('120 concurrent /simulate with 1 thread and a queue of 3: 200 or 503 + Retry-After, the queue never above 3', async () => {
    const simulate = (seed: number) =>
      sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grid_size: 96, steps: 200, seed }) });
    expect((await simulate(0)).status).toBe(200);
    const shedBefore = await rejections('queue_full');

    // Observed from inside (the pool, the gauge) and from outside (/metrics) while the burst runs.
    const seen = { queued: 0, inFlight: 0, gauge: 0, scraped: 0, scrapes: 0 };
    let bursting = true;
    const watcher = (async () => {
      while (bursting) {
        seen.queued = Math.max(seen.queued, pool.queued);
        seen.inFlight = Math.max(seen.inFlight, pool.inFlight);
        seen.gauge = Math.max(seen.gauge, await gauge());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const scraper = (async () => {
      while (bursting) {
        const res = await sendHttp(port, { method: 'GET', path: '/metrics' });
        seen.scraped = Math.max(seen.scraped, sampleValue(parseExposition(res.text), 'mfn_compute_queue_depth', {}));
        seen.scrapes++;
      }
    })();
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => simulate(i + 1)));
    bursting = false;
    await Promise.all([watcher, scraper]);

    const ok = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(ok.length + shed.length).toBe(120);
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(shed.length).toBeGreaterThan(0);
    for (const outcome of shed) {
      expect(bodyOf(outcome)).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', message: 'The compute queue is full; retry later', request_id: outcome.headers['x-request-id'] });
      const retryAfter = Number(outcome.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(bodyOf(outcome)?.retry_after).toBe(retryAfter);
    }
    expect(await rejections('queue_full')).toBe(shedBefore + shed.length);
    expect(seen.scrapes).toBeGreaterThan(0);
    expect(seen.queued).toBeLessThanOrEqual(3);
    expect(seen.inFlight).toBeLessThanOrEqual(4);
    expect(seen.gauge).toBeLessThanOrEqual(3);
    expect(seen.scraped).toBeLessThanOrEqual(3);
    // Drained, and serving again.
    expect({ queued: pool.queued, inFlight: pool.inFlight, gauge: await gauge() }).toEqual({ queued: 0, inFlight: 0, gauge: 0 });
    expect((await simulate(999)).status).toBe(200);
  });
});
