import { Agent } from 'node:http';
import { ComputePoolService } from '../../src/simulation/compute-pool.service';
import { registryValue } from '../helpers/metrics';
import { listenOnce } from '../helpers/raw-http';
import { TestApp, createTestApp } from '../helpers/test-app';
import { LoadRun, LoadSample, bodyOf, until } from './support/load';
import { openRequest, sendHttp } from './support/wire-client';

/**
 * Faults of the compute worker pool under concurrent load, through the real app and real worker
 * threads: a thread that dies mid-task (provoked by terminating it, as the pool's own e2e suite
 * does: the API has no crash endpoint) and clients that hang up while their tasks run or wait.
 * The failing request gets a clean 500 envelope, every other request is served, the pool
 * replaces its threads and its queue drains.
 */
jest.setTimeout(120_000);

const HEAVY = JSON.stringify({ grid_size: 256, steps: 1000 });
const LIGHT = (seed: number) => JSON.stringify({ grid_size: 16, steps: 8, seed });

const rejections = (reason: string) => registryValue('mfn_compute_rejections_total', { reason });

const inProgress = (route: string) => registryValue('mfn_http_requests_in_progress', { route, method: 'POST' });

function statusesOf(samples: LoadSample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { outcome } of samples) {
    const key = String(outcome.status ?? outcome.error);
    // eslint-disable-next-line security/detect-object-injection -- `key` is an HTTP status or an error code the test's own client reports
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function expectComputationFailed(outcome: LoadSample['outcome']): void {
  expect(outcome.status).toBe(500);
  expect(bodyOf(outcome)).toMatchObject({ error_code: 'COMPUTATION_FAILED', message: 'The computation failed', request_id: outcome.headers['x-request-id'] });
  expect(outcome.text).not.toMatch(/RangeError|TypeError|Worker|terminat|\bat \S+ \(/);
}

async function computeApp(env: Record<string, string>): Promise<{ t: TestApp; port: number; pool: ComputePoolService; agent: Agent }> {
  const t = await createTestApp({ MFN_ENV: 'dev', ...env });
  return { t, port: await listenOnce(t.server), pool: t.app.get(ComputePoolService), agent: new Agent({ keepAlive: true, maxSockets: 8 }) };
}

describe('a worker thread crashes under concurrent load', () => {
  it('the task on the dead thread gets a clean 500; the requests queued behind it are served by the replacement', async () => {
    const { t, port, pool, agent } = await computeApp({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '64' });
    let load: LoadRun | undefined;
    try {
      // A task before the test: the thread has booted, so the heavy task is dispatched at once.
      expect((await sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: LIGHT(0) })).status).toBe(200);
      const failedBefore = await rejections('worker_error');
      const firstThread = pool.threads()[0].threadId;
      const victim = sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: HEAVY });
      await until('the heavy task to run', () => pool.inFlight === 1 && pool.queued === 0);

      load = new LoadRun(6, async (lane, seq) => ({
        kind: 'simulate',
        outcome: await sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: LIGHT(lane * 1000 + seq) }, agent),
      }));
      await until('requests queued behind the heavy task', () => pool.queued >= 4);
      await pool.threads()[0].terminate();

      expectComputationFailed(await victim);
      await until('a replacement thread', () => pool.threads().length === 1 && pool.threads()[0].threadId !== firstThread);
      await load.answered(60);
      await load.stop();

      expect(statusesOf(load.samples)).toEqual({ 200: load.samples.length });
      expect(await rejections('worker_error')).toBe(failedBefore + 1);
      const ready = await sendHttp(port, { method: 'GET', path: '/health/ready' });
      expect(bodyOf(ready)?.details).toMatchObject({ compute_pool: { status: 'up', threads: 1 } });
      expect(t.logs.records().filter((r) => r.message === 'unhandled error')).toEqual([]);
    } finally {
      await load?.stop();
      agent.destroy();
      await t.close();
    }
  });

  it('repeated crashes of both threads: every answer is a 200 or that clean 500, and the pool comes back each time', async () => {
    const { t, port, pool, agent } = await computeApp({ MFN_COMPUTE_WORKERS: '2', MFN_COMPUTE_QUEUE_MAX: '64' });
    let load: LoadRun | undefined;
    try {
      const failedBefore = await rejections('worker_error');
      load = new LoadRun(8, async (lane, seq) => ({
        kind: 'simulate',
        outcome: await sendHttp(
          port,
          { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grid_size: 64, steps: 60, seed: lane * 1000 + seq }) },
          agent,
        ),
      }));
      for (let round = 0; round < 4; round++) {
        await load.answered(20);
        const dying = pool.threads().map((thread) => thread.threadId);
        await Promise.all(pool.threads().map((thread) => thread.terminate()));
        await until('two fresh threads', () => pool.threads().length === 2 && pool.threads().every((thread) => !dying.includes(thread.threadId)));
      }
      load.phase = 'after';
      await load.answered(40);
      await load.stop();

      const failed = load.samples.filter((s) => s.outcome.status !== 200);
      for (const { outcome } of failed) expectComputationFailed(outcome);
      // A thread runs one task at a time: each crash fails at most the task it was running.
      expect(failed.length).toBeLessThanOrEqual(8);
      expect(await rejections('worker_error')).toBe(failedBefore + failed.length);
      expect(statusesOf(load.within('after'))).toEqual({ 200: load.within('after').length });
    } finally {
      await load?.stop();
      agent.destroy();
      await t.close();
    }
  });
});

describe('clients disconnect mid-request', () => {
  it('running and queued tasks of clients that hang up are cancelled, the queue drains, other clients are served', async () => {
    const { t, port, pool, agent } = await computeApp({ MFN_COMPUTE_WORKERS: '1', MFN_COMPUTE_QUEUE_MAX: '32' });
    let load: LoadRun | undefined;
    try {
      const cancelledBefore = await rejections('cancelled');
      load = new LoadRun(3, async (lane, seq) =>
        lane === 0
          ? { kind: 'nernst', outcome: await sendHttp(port, { method: 'POST', path: '/nernst', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ concentration_out_molar: 0.005, concentration_in_molar: 0.14 }) }, agent) }
          : { kind: 'simulate', outcome: await sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: LIGHT(lane * 1000 + seq) }, agent) },
      );
      await load.answered(20);

      // Six clients each start a computation of many seconds, then go away.
      const leavers = Array.from({ length: 6 }, (_, i) =>
        openRequest(port, { method: 'POST', path: '/validate', headers: { 'content-type': 'application/json', 'x-request-id': `hang-up-${i}` }, body: JSON.stringify({ grid_size: 256, steps: 1000, seed: i }) }),
      );
      // The two simulate lanes wait behind the first heavy task too: 6 + 2 tasks in flight.
      await until('all six to be admitted', () => pool.inFlight >= 8);
      for (const leaver of leavers) leaver.hangUp();
      expect(await Promise.all(leavers.map((l) => l.done))).toEqual(Array(6).fill('aborted'));
      await until('all six tasks to be cancelled', async () => (await rejections('cancelled')) === cancelledBefore + 6);

      load.phase = 'after';
      await load.answered(30);
      await load.stop();
      await until('the pool to drain', () => pool.inFlight === 0 && pool.queued === 0);

      expect(statusesOf(load.samples)).toEqual({ 200: load.samples.length });
      const records = t.logs.records();
      for (let i = 0; i < 6; i++) {
        expect(records.filter((r) => r.action === 'api_request' && r.request_id === `hang-up-${i}`)).toEqual([
          expect.objectContaining({ status: 499, message: 'request aborted by client', endpoint: '/validate' }),
        ]);
      }
      expect(records.filter((r) => r.message === 'compute task cancelled: client disconnected')).toHaveLength(6);
      expect(records.filter((r) => r.message === 'unhandled error')).toEqual([]);
      expect((await sendHttp(port, { method: 'POST', path: '/simulate', headers: { 'content-type': 'application/json' }, body: LIGHT(1) })).status).toBe(200);
    } finally {
      await load?.stop();
      agent.destroy();
      await t.close();
    }
  });

  it.each([
    ['/federated/aggregate', 1_000_000],
    ['/api/encrypt', 200_000],
    ['/nernst', 64],
  ])('a client that hangs up halfway through uploading to %s leaves one 499 record and nothing else', async (path, size) => {
    const { t, port, agent } = await computeApp({ MFN_COMPUTE_WORKERS: '1' });
    try {
      const id = `half-upload-${path.replace(/\W/g, '')}`;
      const upload = openRequest(port, { method: 'POST', path, headers: { 'content-type': 'application/json', 'x-request-id': id }, body: 'x'.repeat(size), sendBytes: Math.floor(size / 2) });
      await until('the request to be in progress', async () => (await inProgress(path)) === 1);
      upload.hangUp();
      expect(await upload.done).toBe('aborted');
      await until('its access record', () => t.logs.records().some((r) => r.request_id === id && r.action === 'api_request'));
      expect(t.logs.records().filter((r) => r.request_id === id && r.action === 'api_request')).toEqual([
        expect.objectContaining({ status: 499, message: 'request aborted by client' }),
      ]);
      expect(t.logs.records().filter((r) => r.message === 'unhandled error')).toEqual([]);
      const after = await sendHttp(port, { method: 'GET', path: '/health' }, agent);
      expect(after.status).toBe(200);
    } finally {
      agent.destroy();
      await t.close();
    }
  });
});
