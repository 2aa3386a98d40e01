import http from 'node:http';
import request from 'supertest';
import { ComputePoolService } from '../../src/simulation/compute-pool.service';
import { listenOnce } from '../helpers/raw-http';
import { TestApp, createTestApp } from '../helpers/test-app';
import { freePort, waitFor } from './support/http-wire';
import { ThrowawayRedis } from '../helpers/redis-server';

async function readyStatus(t: TestApp): Promise<request.Response> {
  return request(t.server).get('/health/ready');
}

/** Waits until readiness reports `status` (the Redis client connects in the background). */
function waitForReadiness(t: TestApp, status: number): Promise<request.Response> {
  return waitFor(async () => {
    const res = await readyStatus(t);
    return res.status === status ? res : undefined;
  }, `readiness ${status}`);
}

describe('readiness without Redis configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is ready and has no redis check', async () => {
    const res = await readyStatus(t);
    expect(res.status).toBe(200);
    expect(res.body.details.lifecycle).toEqual({ status: 'up', state: 'running' });
    expect(res.body.details.redis).toBeUndefined();
  });
});

describe('readiness with a reachable Redis', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  beforeAll(async () => {
    // A private server: the service writes key-store and bucket state to the Redis it is given.
    redis = await ThrowawayRedis.start();
    t = await createTestApp({ MFN_REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.dispose();
  });

  it('reports redis up', async () => {
    const res = await waitForReadiness(t, 200);
    expect(res.body.details.redis).toEqual({ status: 'up', state: 'ready' });
  });
});

describe('readiness with an unreachable Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    const port = await freePort();
    t = await createTestApp({ MFN_REDIS_URL: `redis://127.0.0.1:${port}/0` });
  });
  afterAll(() => t.close());

  it('answers 503 in the error envelope naming redis, while liveness stays 200', async () => {
    const res = await request(t.server).get('/health/ready').set('X-Request-ID', 'ready-no-redis');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', request_id: 'ready-no-redis' });
    expect(res.body.message).toBe('Not ready: dependency unavailable');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'redis' })]));
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');

    const live = await request(t.server).get('/health');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'healthy', version: '4.1.0' });
  });
});

describe('readiness follows a Redis that goes away and comes back', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await createTestApp({ MFN_REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.dispose();
  });

  it('turns 503 when Redis stops and 200 again once it is back, liveness untouched', async () => {
    await waitForReadiness(t, 200);
    await redis.stop();
    const down = await waitForReadiness(t, 503);
    expect(down.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'redis' })]));
    expect((await request(t.server).get('/health')).status).toBe(200);
    await redis.resume();
    const up = await waitForReadiness(t, 200);
    expect(up.body.details.redis.status).toBe('up');
  });
});

describe('readiness of a saturated compute pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 1 thread + 1 queued = 2 slots; one caller may take both here.
    t = await createTestApp({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '1', MFN_COMPUTE_MAX_PER_KEY: '2' });
  });
  afterAll(() => t.close());

  it('answers 503 naming compute_pool while every admission slot is taken, and 200 once they free', async () => {
    const port = await listenOnce(t.server);
    const pool = t.app.get(ComputePoolService);
    const idle = await readyStatus(t);
    expect(idle.status).toBe(200);
    expect(idle.body.details.compute_pool).toMatchObject({ status: 'up', saturated: false, capacity: 2, in_flight: 0 });

    // Two validations of many seconds each, abandoned by their clients once the check is done.
    const body = JSON.stringify({ grid_size: 256, steps: 1000 });
    const clients = [0, 1].map(() => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', headers: { 'content-type': 'application/json' } });
      req.on('error', () => undefined);
      req.end(body);
      return req;
    });
    await waitFor(async () => (pool.inFlight === 2 ? true : undefined), 'both tasks to be admitted');

    const saturated = await request(t.server).get('/health/ready').set('X-Request-ID', 'ready-saturated');
    expect(saturated.status).toBe(503);
    expect(saturated.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', request_id: 'ready-saturated', message: 'Not ready: dependency unavailable' });
    expect(saturated.body.details).toEqual(expect.arrayContaining([{ field: 'compute_pool', message: 'saturated' }]));
    expect((await request(t.server).get('/health')).status).toBe(200);

    for (const req of clients) req.destroy();
    const ready = await waitForReadiness(t, 200);
    expect(ready.body.details.compute_pool).toMatchObject({ status: 'up', saturated: false });
  });
});
