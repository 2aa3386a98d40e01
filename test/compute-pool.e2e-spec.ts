import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { ComputePoolService } from '../src/simulation/compute-pool.service';
import { registryValue } from './helpers/metrics';
import { TestApp, createTestApp } from './helpers/test-app';
import { sleep, until } from './helpers/until';

/**
 * The worker pool through the real app and real worker threads: liveness under load, deadline,
 * bounded queue, client disconnects, crashing tasks and dying threads.
 */
jest.setTimeout(120_000);

const HEAVY = { grid_size: 256, steps: 1000 };
const LIGHT = { grid_size: 16, steps: 8 };

async function listening(env: Record<string, string>): Promise<{ t: TestApp; base: string; pool: ComputePoolService }> {
  const t = await createTestApp(env);
  return { t, base: await t.listen(), pool: t.app.get(ComputePoolService) };
}

const rejections = (reason: string) => registryValue('mfn_compute_rejections_total', { reason });

/** How long a wait for the pool (a thread replaced, a task started or dropped) may take. */
const WAIT_MS = 30_000;

/** A request the test can abandon mid-flight, like a client that hangs up. */
function openRequest(base: string, path: string, body: unknown): { done: Promise<number | 'aborted'>; hangUp(): void } {
  const url = new URL(path, base);
  const payload = JSON.stringify(body);
  const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } });
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

/** Nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function niceOf(tid: string): number {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a /proc file of this process's own thread
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map(niceOf);
}

describe('compute pool (e2e, real worker threads)', () => {
  (process.platform === 'linux' ? it : it.skip)('runs the compute threads at a lower priority than the event loop', async () => {
    const mainNice = niceOf(String(process.pid));
    const lowered = Math.min(19, mainNice + 10);
    const count = () => threadNiceValues().filter((n) => n === lowered).length;
    const before = count();
    const { t, base } = await listening({ MFN_COMPUTE_WORKERS: '2' });
    try {
      // Threads lower their priority when they load the worker module; a task proves they have.
      await Promise.all([1, 2].map((seed) => request(base).post('/simulate').send({ ...LIGHT, seed }).expect(200)));
      expect(count() - before).toBeGreaterThanOrEqual(2);
      expect(niceOf(String(process.pid))).toBe(mainNice); // the event loop keeps its priority
    } finally {
      await t.close();
    }
  });

  it('keeps /health answering while 4 large simulations run, and reports the pool as ready', async () => {
    const { t, base } = await listening({ MFN_COMPUTE_WORKERS: '2' });
    try {
      const ready = await request(base).get('/health/ready').expect(200);
      expect(ready.body.details.compute_pool).toMatchObject({ status: 'up', threads: 2, configured: 2 });

      const simulations = Array.from({ length: 4 }, (_, seed) => request(base).post('/simulate').send({ ...HEAVY, seed }));
      const pending = Promise.all(simulations.map((s) => s.then((r) => r)));
      let answered = 0;
      for (let k = 0; k < 10; k++) {
        const res = await request(base).get('/health');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'healthy', version: '4.1.0' });
        answered++;
        await sleep(20);
      }
      const results = await pending;
      expect(answered).toBe(10);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    } finally {
      await t.close();
    }
  });

  it('cancels a task at its deadline with a 504 envelope and keeps serving', async () => {
    const { t, base, pool } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_TIMEOUT_MS: '400' });
    try {
      const before = await rejections('timeout');
      const firstThread = pool.threads()[0].threadId;
      // 17 fields of 256 x 256 x 1000 cells: seconds of work on any machine.
      const res = await request(base).post('/validate').send(HEAVY);
      expect(res.status).toBe(504);
      expect(res.body.error_code).toBe('GATEWAY_TIMEOUT');
      expect(res.body.message).toMatch(/did not finish within 400 ms/);
      expect(res.body.request_id).toBe(res.headers['x-request-id']);
      expect(await rejections('timeout')).toBe(before + 1);
      const warning = t.logs.records().find((r) => r.message === 'compute task cancelled at its deadline');
      expect(warning).toMatchObject({ request_id: res.body.request_id, kind: 'validate' });
      // The running task's thread was terminated and replaced...
      await until('a replacement thread', () => pool.threads().length === 1 && pool.threads()[0].threadId !== firstThread, WAIT_MS);
      // ...and once it has booted (that time counts against the deadline too) small tasks pass.
      await until('a successful request', async () => (await request(base).post('/simulate').send(LIGHT)).status === 200, WAIT_MS);
    } finally {
      await t.close();
    }
  });

  it('answers 503 with Retry-After when the queue is full', async () => {
    // One caller fills the whole pool here: its share (MFN_COMPUTE_MAX_PER_KEY) is raised above the capacity.
    const { t, base } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '1', MFN_COMPUTE_MAX_PER_KEY: '3' });
    try {
      const before = await rejections('queue_full');
      const responses = await Promise.all([0, 1, 2].map((seed) => request(base).post('/simulate').send({ ...HEAVY, seed })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 503]);
      const rejected = responses.find((r) => r.status === 503) as request.Response;
      expect(rejected.body.error_code).toBe('SERVICE_UNAVAILABLE');
      const retryAfter = Number(rejected.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expect(rejected.body.retry_after).toBe(retryAfter);
      expect(await rejections('queue_full')).toBe(before + 1);
    } finally {
      await t.close();
    }
  });

  it('drops a queued task and stops a running one when their clients hang up', async () => {
    const { t, base, pool } = await listening({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '4', MFN_COMPUTE_MAX_PER_KEY: '5' });
    try {
      const before = await rejections('cancelled');
      const firstThread = pool.threads()[0].threadId;
      // Each of these would run for many seconds.
      const running = openRequest(base, '/validate', { grid_size: 256, steps: 1000 });
      await until('the first task to start', () => pool.inFlight === 1 && pool.queued === 0, WAIT_MS);
      const queued = openRequest(base, '/validate', { grid_size: 256, steps: 1000, seed: 2 });
      await until('the second task to queue', () => pool.inFlight === 2 && pool.queued === 1, WAIT_MS);

      queued.hangUp();
      expect(await queued.done).toBe('aborted');
      await until('the queued task to be dropped', async () => pool.queued === 0 && (await rejections('cancelled')) === before + 1, WAIT_MS);
      expect(pool.threads()[0].threadId).toBe(firstThread); // the running task was not touched

      running.hangUp();
      expect(await running.done).toBe('aborted');
      await until('the running task to be cancelled', async () => (await rejections('cancelled')) === before + 2, WAIT_MS);
      await until('a fresh thread', () => pool.threads().length === 1 && pool.threads()[0].threadId !== firstThread, WAIT_MS);
      const res = await request(base).post('/simulate').send(LIGHT).expect(200);
      expect(res.body.growth_events).toBeGreaterThanOrEqual(0);
      // Answering a client that is gone is not an error worth an alarm.
      const records = t.logs.records();
      expect(records.filter((r) => r.message === 'compute task cancelled: client disconnected')).toHaveLength(2);
      expect(records.filter((r) => r.message === 'unhandled error')).toHaveLength(0);
      const access = records.filter((r) => r.status === 499);
      expect(access.length).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });

  it('turns a task that throws in the worker into a clean 500 and keeps the thread', async () => {
    const { t, base, pool } = await listening({ MFN_COMPUTE_WORKERS: '1' });
    try {
      const before = await rejections('worker_error');
      const thread = pool.threads()[0].threadId;
      const run = pool.run.bind(pool);
      // Corrupt the next task on its way to the worker: the core throws a RangeError there.
      jest.spyOn(pool, 'run').mockImplementationOnce((task, options) =>
        run(task.kind === 'simulate' ? { ...task, params: { ...task.params, gridSize: -1 } } : task, options),
      );
      const res = await request(base).post('/simulate').send(LIGHT);
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ error_code: 'COMPUTATION_FAILED', message: 'The computation failed' });
      expect(res.text).not.toMatch(/gridSize|RangeError|worker/);
      expect(await rejections('worker_error')).toBe(before + 1);
      const failure = t.logs.records().find((r) => r.message === 'compute task failed');
      expect(failure).toMatchObject({ request_id: res.body.request_id, level: expect.anything() });
      expect(pool.threads()[0].threadId).toBe(thread);
      await request(base).post('/simulate').send(LIGHT).expect(200);
    } finally {
      await t.close();
    }
  });

  it('turns a thread that dies mid-task into a clean 500, replaces it and serves the next request', async () => {
    const { t, base, pool } = await listening({ MFN_COMPUTE_WORKERS: '1' });
    try {
      const thread = pool.threads()[0].threadId;
      const victim = openRequest(base, '/simulate', HEAVY);
      // Once dispatched, the task belongs to the thread: killing it now fails exactly this task.
      await until('the task to reach the thread', () => pool.inFlight === 1 && pool.queued === 0, WAIT_MS);
      await pool.threads()[0].terminate();
      expect(await victim.done).toBe(500);
      await until('a replacement thread', () => pool.threads().length === 1 && pool.threads()[0].threadId !== thread, WAIT_MS);
      await request(base).post('/simulate').send(LIGHT).expect(200);
      const ready = await request(base).get('/health/ready').expect(200);
      expect(ready.body.details.compute_pool.status).toBe('up');
    } finally {
      await t.close();
    }
  });

  it('stops every thread when the app closes', async () => {
    const { t, pool } = await listening({ MFN_COMPUTE_WORKERS: '2' });
    expect(pool.threads()).toHaveLength(2);
    await t.close();
    expect(pool.threads()).toHaveLength(0);
  });
});
