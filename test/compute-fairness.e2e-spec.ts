import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { ComputeAdmissionService } from '../src/simulation/compute-admission.service';
import { ComputePoolService } from '../src/simulation/compute-pool.service';
import { registryValue } from './helpers/metrics';
import { TestApp, createTestApp } from './helpers/test-app';
import { sleep, until } from './helpers/until';

/**
 * Fair compute through the real app and real worker threads: one caller flooding the pool meets
 * its own 429 (its share of in-flight tasks, its work budget) while other callers are served, and
 * admission slots come back whatever happens to the task.
 */
jest.setTimeout(120_000);

const KEY_A = randomBytes(32).toString('base64url');
const KEY_B = randomBytes(32).toString('base64url');
const TWO_KEYS = JSON.stringify([
  { key: KEY_A, id: 'tenant-a', roles: ['compute'] },
  { key: KEY_B, id: 'tenant-b', roles: ['compute'] },
]);
const HIGH = '1000000';
/** Authentication with the two keys, rate limiting on with request counts out of the way. */
const LIMITED = {
  MFN_API_KEY_REQUIRED: 'true',
  MFN_API_KEYS: TWO_KEYS,
  MFN_RATE_LIMIT_ENABLED: 'true',
  MFN_RATE_LIMIT_WINDOW: '3600',
  MFN_RATE_LIMIT_ROUTES: `/simulate=${HIGH},/validate=${HIGH},/health=${HIGH}`,
};
/** Seconds of work per task on any machine (65 work units). */
const HEAVY = { grid_size: 256, steps: 1000 };
const LIGHT = { grid_size: 8, steps: 1 };

/** How long a wait for admission or the pool (a share filled, a slot back) may take. */
const WAIT_MS = 60_000;

async function listening(env: Record<string, string>) {
  const t = await createTestApp(env);
  return { t, base: await t.listen(), pool: t.app.get(ComputePoolService), admission: t.app.get(ComputeAdmissionService) };
}


function rateLimitAudits(t: TestApp, reason: string): Record<string, unknown>[] {
  return t.logs.records().filter((r) => r.action === 'rate_limit_exceeded' && (r.details as { reason?: string } | undefined)?.reason === reason);
}

function expect429(res: request.Response, message: RegExp): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ error_code: 'RATE_LIMIT_EXCEEDED', request_id: res.headers['x-request-id'] });
  expect(res.body.message).toMatch(message);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(res.body.retry_after).toBe(retryAfter);
}

/** A request the test can abandon mid-flight, like a client that hangs up. */
function openRequest(base: string, path: string, body: unknown): { done: Promise<number | 'aborted'>; hangUp(): void } {
  const payload = JSON.stringify(body);
  const req = httpRequest(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } });
  const done = new Promise<number | 'aborted'>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('aborted'));
  });
  req.end(payload);
  return { done, hangUp: () => req.destroy() };
}

describe('per-key share of the compute pool', () => {
  // 1 thread + 7 queued = 8 slots; the default share is a quarter of them: 2 per key.
  const env = { ...LIMITED, MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '7' };

  it('a key flooding heavy requests gets 429 beyond its share, never 503, while another key is served', async () => {
    const { t, base, admission } = await listening(env);
    try {
      const shareBefore = await registryValue('mfn_compute_rejections_total', { reason: 'compute_share' });
      const fullBefore = await registryValue('mfn_compute_rejections_total', { reason: 'queue_full' });
      const heavyA = (seed: number) => request(base).post('/simulate').set('X-API-Key', KEY_A).send({ ...HEAVY, seed });

      // Key A floods from ten lanes (more than the 8 slots) until key B is done; a refused lane tries
      // again after a pause.
      let flooding = true;
      let maxInFlightA = 0;
      const answersA: request.Response[] = [];
      const lanes = Array.from({ length: 10 }, async (_, lane) => {
        for (let seq = 0; flooding; seq++) {
          const res = await heavyA(lane * 1000 + seq);
          answersA.push(res);
          if (res.status !== 200) await sleep(50);
        }
      });
      const watcher = (async () => {
        while (flooding) {
          maxInFlightA = Math.max(maxInFlightA, admission.inFlightOf('key:tenant-a'));
          await sleep(1);
        }
      })();
      await until('key A to fill its share', () => admission.inFlightOf('key:tenant-a') === 2 && answersA.some((r) => r.status === 429), WAIT_MS);

      const answersB: request.Response[] = [];
      for (let seed = 0; seed < 4; seed++) answersB.push(await request(base).post('/simulate').set('X-API-Key', KEY_B).send({ ...LIGHT, seed }));
      const ready = await request(base).get('/health/ready');
      flooding = false;
      await Promise.all([...lanes, watcher]);

      expect(answersB.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answersA.map((r) => r.status))).toEqual(new Set([200, 429]));
      const refused = answersA.filter((r) => r.status === 429);
      for (const res of refused) expect429(res, /Too many compute requests in flight for this caller \(at most 2\)/);
      expect(maxInFlightA).toBeLessThanOrEqual(2);
      // The pool was never full: the others' slots stayed free, and readiness said so.
      expect(await registryValue('mfn_compute_rejections_total', { reason: 'queue_full' })).toBe(fullBefore);
      expect(ready.status).toBe(200);
      expect(ready.body.details.compute_pool).toMatchObject({ status: 'up', saturated: false, capacity: 8 });

      expect(await registryValue('mfn_compute_rejections_total', { reason: 'compute_share' })).toBe(shareBefore + refused.length);
      const audits = rateLimitAudits(t, 'compute_share');
      expect(audits).toHaveLength(refused.length);
      expect(audits[0]).toMatchObject({
        level: 'WARNING',
        category: 'security',
        success: false,
        resource: '/simulate',
        user_id: expect.stringMatching(/^tena/),
        details: { reason: 'compute_share', route: '/simulate', in_flight: 2, limit: 2, retry_after: expect.any(Number) },
      });
      expect(refused.map((r) => r.headers['x-request-id'])).toContain(audits[0].request_id);
      expect(JSON.stringify(audits)).not.toContain(KEY_A);

      // Every slot came back: key A is served again.
      expect({ a: admission.inFlightOf('key:tenant-a'), all: admission.admitted }).toEqual({ a: 0, all: 0 });
      await request(base).post('/simulate').set('X-API-Key', KEY_A).send(LIGHT).expect(200);
    } finally {
      await t.close();
    }
  });

  it('without authentication the share is per client address', async () => {
    const { t, base, pool, admission } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '3' });
    try {
      // A share of 1: the second request of this address is refused while the first runs.
      const running = openRequest(base, '/validate', HEAVY);
      await until('the first task to be admitted', () => pool.inFlight === 1, WAIT_MS);
      expect(admission.inFlightOf('ip:127.0.0.1')).toBe(1);
      expect429(await request(base).post('/simulate').send(LIGHT), /at most 1/);
      running.hangUp();
      await until('the slot to come back', () => admission.inFlightOf('ip:127.0.0.1') === 0, WAIT_MS);
      await until('a served request', async () => (await request(base).post('/simulate').send(LIGHT)).status === 200, WAIT_MS);
    } finally {
      await t.close();
    }
  });
});

describe('cost-weighted work budget per key', () => {
  // 50 units per (long) window: a 256 x 500 simulation costs 33, an 8 x 1 one costs 1.
  const env = { ...LIMITED, MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_WORK_LIMIT: '50' };
  const HALF_HEAVY = { grid_size: 256, steps: 500 };

  it('refuses a key its heavy requests once its units are spent, while its light ones fit and another key is untouched', async () => {
    const { t, base, admission } = await listening(env);
    try {
      const before = await registryValue('mfn_compute_rejections_total', { reason: 'work_budget' });
      const post = (key: string, path: string, body: object) => request(base).post(path).set('X-API-Key', key).send(body);

      expect((await post(KEY_A, '/simulate', HALF_HEAVY)).status).toBe(200);
      const refused = await post(KEY_A, '/simulate', HALF_HEAVY);
      expect429(refused, /work budget exceeded: this request costs 33 work units, 17 of 50 per 3600 s are left/);
      // 16 missing units at 50 per hour: about 19 minutes.
      expect(refused.body.retry_after).toBeGreaterThan(1000);
      expect(admission.inFlightOf('key:tenant-a')).toBe(0);

      // Light requests of the same key still fit in what is left.
      for (let seed = 0; seed < 3; seed++) expect((await post(KEY_A, '/simulate', { ...LIGHT, seed })).status).toBe(200);
      // The other key has its own budget.
      expect((await post(KEY_B, '/simulate', HALF_HEAVY)).status).toBe(200);
      expect((await post(KEY_B, '/validate', { grid_size: 64, steps: 64 })).status).toBe(200); // 6 units

      expect(await registryValue('mfn_compute_rejections_total', { reason: 'work_budget' })).toBe(before + 1);
      expect(rateLimitAudits(t, 'work_budget')).toEqual([
        expect.objectContaining({
          request_id: refused.headers['x-request-id'],
          details: { reason: 'work_budget', route: '/simulate', cost: 33, remaining: 17, limit: 50, window_seconds: 3600, retry_after: refused.body.retry_after },
        }),
      ]);
    } finally {
      await t.close();
    }
  });

  it('answers 400 at once for a request costing more than the whole budget, and spends nothing', async () => {
    const { t, base } = await listening(env);
    try {
      const res = await request(base).post('/simulate').set('X-API-Key', KEY_A).send(HEAVY);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_REQUEST', request_id: res.headers['x-request-id'] });
      expect(res.body.message).toMatch(/costs 66 compute work units, more than the 50 a caller may spend per 3600 s; it can never run here/);
      // Nothing was spent: a request of 33 + one of 17 use the whole budget.
      await request(base).post('/simulate').set('X-API-Key', KEY_A).send({ grid_size: 256, steps: 500 }).expect(200);
      await request(base).post('/simulate').set('X-API-Key', KEY_A).send({ grid_size: 128, steps: 1000 }).expect(200);
      expect((await request(base).post('/simulate').set('X-API-Key', KEY_A).send(LIGHT)).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('is off without rate limiting, like the request-count limits', async () => {
    const { t, base } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_WORK_LIMIT: '1' });
    try {
      for (let seed = 0; seed < 2; seed++) await request(base).post('/simulate').send({ grid_size: 128, steps: 200, seed }).expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('admission slots never leak', () => {
  const caller = 'ip:127.0.0.1';

  it('after a deadline (504)', async () => {
    const { t, base, admission } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_TIMEOUT_MS: '400', MFN_COMPUTE_MAX_PER_KEY: '1' });
    try {
      expect((await request(base).post('/validate').send(HEAVY)).status).toBe(504);
      expect(admission.inFlightOf(caller)).toBe(0);
      await until('a served request', async () => (await request(base).post('/simulate').send(LIGHT)).status === 200, WAIT_MS);
    } finally {
      await t.close();
    }
  });

  it('after a client hang-up (499), a failed task (500) and a full pool (503)', async () => {
    // 2 slots in the pool, a share of 3: one caller can meet the global 503.
    const { t, base, pool, admission } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '1', MFN_COMPUTE_MAX_PER_KEY: '3' });
    try {
      await request(base).post('/simulate').send(LIGHT).expect(200);

      const running = openRequest(base, '/validate', HEAVY);
      const queued = openRequest(base, '/validate', { ...HEAVY, seed: 2 });
      await until('both tasks to be admitted', () => pool.inFlight === 2, WAIT_MS);
      const full = await request(base).post('/simulate').send(LIGHT);
      expect(full.status).toBe(503);
      expect(full.body.error_code).toBe('SERVICE_UNAVAILABLE');
      expect(admission.inFlightOf(caller)).toBe(2);

      queued.hangUp();
      running.hangUp();
      expect(await Promise.all([queued.done, running.done])).toEqual(['aborted', 'aborted']);
      await until('the cancelled tasks to give their slots back', () => admission.inFlightOf(caller) === 0 && pool.inFlight === 0, WAIT_MS);

      const run = pool.run.bind(pool);
      jest.spyOn(pool, 'run').mockImplementationOnce((task, options) =>
        run(task.kind === 'simulate' ? { ...task, params: { ...task.params, gridSize: -1 } } : task, options),
      );
      expect((await request(base).post('/simulate').send(LIGHT)).status).toBe(500);
      expect(admission.inFlightOf(caller)).toBe(0);
      expect(admission.admitted).toBe(0);
      await until('a served request', async () => (await request(base).post('/simulate').send(LIGHT)).status === 200, WAIT_MS);
    } finally {
      await t.close();
    }
  });
});
