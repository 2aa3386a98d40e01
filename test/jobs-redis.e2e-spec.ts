import { EventSource } from 'eventsource';
import type Redis from 'ioredis';
import { connectRedis, deleteKeys, SHARED_REDIS_URL } from './helpers/redis';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { TENANT_ENV, TENANT_KEYS } from './helpers/tenants';
import { until } from './helpers/until';

/**
 * The worker tier for real: two API processes (MFN_ROLE=api) and two worker processes
 * (MFN_ROLE=worker) on one Redis, plus one `all` process with a short result TTL.
 */
jest.setTimeout(300_000);

const SMALL = { seed: 1, grid_size: 16, steps: 5 };
/** About a tenth of a second of work each. */
const MEDIUM = { seed: 5, grid_size: 128, steps: 400 };
/** A few seconds of work: long enough to be caught running. */
const LONG = { seed: 3, epochs: 100, batch_size: 1, grid_size: 64, steps: 200 };
const TERMINAL = ['completed', 'failed', 'cancelled'];

type Json = Record<string, unknown>;

async function call(base: string, method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-API-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Json };
}

/** Sum of a counter's samples with these labels in a Prometheus text exposition. */
function counter(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

describe('jobs on BullMQ with separate API and worker processes (e2e)', () => {
  const prefix = `jobs-e2e-${process.pid}-${Date.now()}`;
  const ttlPrefix = `${prefix}-ttl`;
  let redis: Redis;
  let apis: ServiceProcess[] = [];
  let workers: ServiceProcess[] = [];
  let solo: ServiceProcess | undefined;

  const env = async (role: string, extra: Record<string, string> = {}) => ({
    ...TENANT_ENV,
    MFN_ENV: 'dev',
    MFN_REDIS_URL: SHARED_REDIS_URL,
    MFN_RATE_LIMIT_KEY_PREFIX: `${prefix}:rl`,
    MFN_JOBS_KEY_PREFIX: prefix,
    MFN_ROLE: role,
    MFN_COMPUTE_WORKERS: '1',
    MFN_JOBS_CONCURRENCY: '1',
    MFN_JOBS_STALLED_INTERVAL_MS: '1000',
    MFN_JOBS_BACKOFF_MS: '200',
    MFN_LOG_LEVEL: 'INFO',
    MFN_JOBS_MAX_RESULT_BYTES: '1024',
    PORT: String(await freePort()),
    ...extra,
  });
  const api = (i: number) => apis[i % apis.length].baseUrl;
  const a = (i: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(api(i), method, path, TENANT_KEYS.a, body, headers);

  async function finished(id: string, key = TENANT_KEYS.a, base = api(0)): Promise<Json> {
    let job: Json = {};
    await until(`job ${id} finished`, async () => {
      job = (await call(base, 'GET', `/jobs/${id}`, key)).body;
      return TERMINAL.includes(job.state as string);
    }, 180_000, 100).catch((err) => {
      process.stderr.write(`${JSON.stringify(job)}\n`);
      for (const w of workers) process.stderr.write(w.stdout().split('\n').filter((l) => l.includes(id) || l.includes('rror')).join('\n') + '\n--\n');
      throw err;
    });
    return job;
  }
  async function state(id: string): Promise<string> {
    return (await a(0, 'GET', `/jobs/${id}`)).body.state as string;
  }
  async function workerMetrics(): Promise<string[]> {
    return Promise.all(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map(async (w) => (await fetch(`${w.baseUrl}/metrics`)).text()));
  }

  beforeAll(async () => {
    redis = await connectRedis();
    apis = [startServiceProcess(await env('api')), startServiceProcess(await env('api'))];
    workers = [startServiceProcess(await env('worker')), startServiceProcess(await env('worker'))];
    solo = startServiceProcess(await env('all', { MFN_JOBS_KEY_PREFIX: ttlPrefix, MFN_JOBS_RESULT_TTL_S: '2' }));
    await Promise.all([...apis, ...workers, solo].map((p) => waitUntilUp(p, 60_000)));
  });

  afterAll(async () => {
    await Promise.all([...apis, ...workers, ...(solo ? [solo] : [])].map((p) => p.stop()));
    if (redis) {
      await deleteKeys(redis, `*${prefix}*`);
      await redis.quit();
    }
  });

  it('a worker serves only the probes and /metrics', async () => {
    const w = workers[0].baseUrl;
    expect((await fetch(`${w}/health/live`)).status).toBe(200);
    expect((await fetch(`${w}/health/ready`)).status).toBe(200);
    expect((await fetch(`${w}/metrics`)).status).toBe(200);
    expect((await call(w, 'POST', '/jobs/simulate', TENANT_KEYS.a, SMALL)).status).toBe(404);
    expect((await call(w, 'POST', '/simulate', TENANT_KEYS.a, SMALL)).status).toBe(404);
  });

  it('completes 50 jobs submitted through both API instances exactly once', async () => {
    const before = (await workerMetrics()).map((m) => counter(m, 'mfn_jobs_finished_total', { outcome: 'completed' }));
    const submitted = await Promise.all(Array.from({ length: 50 }, (_, i) => a(i, 'POST', '/jobs/simulate', { ...SMALL, seed: i })));
    for (const res of submitted) {
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(`/jobs/${res.body.id}`);
    }
    const ids = submitted.map((r) => r.body.id as string);
    expect(new Set(ids).size).toBe(50);
    for (const [i, id] of ids.entries()) {
      const job = await finished(id, TENANT_KEYS.a, api(i + 1));
      expect(job).toMatchObject({ state: 'completed', attempts: 1, progress: 100 });
    }
    const sync = await a(0, 'POST', '/simulate', { ...SMALL, seed: 7 });
    expect((await a(1, 'GET', `/jobs/${ids[7]}`)).body.result).toEqual(sync.body);
    const after = (await workerMetrics()).map((m) => counter(m, 'mfn_jobs_finished_total', { outcome: 'completed' }));
    const perWorker = after.map((n, i) => n - (before.at(i) ?? 0));
    expect(perWorker.reduce((x, y) => x + y, 0)).toBe(50);
    expect(perWorker.every((n) => n > 0)).toBe(true);
  });

  it('keeps tenants apart: the second key gets 404 on GET, DELETE and events', async () => {
    const { body } = await a(0, 'POST', '/jobs/simulate', SMALL);
    const id = body.id as string;
    const missing = await call(api(1), 'GET', '/jobs/00000000-0000-4000-8000-000000000000', TENANT_KEYS.b);
    for (const [method, path] of [['GET', `/jobs/${id}`], ['DELETE', `/jobs/${id}`], ['GET', `/jobs/${id}/events`]]) {
      const res = await call(api(1), method, path, TENANT_KEYS.b);
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe(missing.body.error_code);
      expect(res.body.message).toBe(missing.body.message);
    }
    expect((await finished(id)).state).toBe('completed');
  });

  it('Idempotency-Key: same key and body give the same job on either API, another body 409', async () => {
    const headers = { 'Idempotency-Key': `idem-${prefix}` };
    const first = await a(0, 'POST', '/jobs/simulate', SMALL, headers);
    const again = await a(1, 'POST', '/jobs/simulate', { ...SMALL }, headers);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await a(1, 'POST', '/jobs/simulate', { ...SMALL, seed: 99 }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error_code).toBe('CONFLICT');
    await finished(first.body.id as string);
  });

  it('streams the job to a real EventSource client through to the result', async () => {
    const { body } = await a(1, 'POST', '/jobs/simulate', MEDIUM);
    const events: Json[] = [];
    await new Promise<void>((resolve, reject) => {
      const source = new EventSource(`${api(0)}/jobs/${body.id}/events`, {
        fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, 'X-API-Key': TENANT_KEYS.a } }),
      });
      source.addEventListener('job', (event) => {
        const job = JSON.parse(event.data) as Json;
        events.push(job);
        if (TERMINAL.includes(job.state as string)) {
          source.close();
          resolve();
        }
      });
      source.onerror = (e) => {
        source.close();
        reject(new Error(`event stream failed after ${events.length} events: ${e.message} ${e.code}`));
      };
    });
    expect(events.at(-1)).toMatchObject({ id: body.id, state: 'completed', progress: 100 });
    expect(events.at(-1)?.result).toHaveProperty('fractal_dimension');
  });

  it('fails a final error at once and keeps the job in the dead letter', async () => {
    const row = Array.from({ length: 300 }, (_, i) => i / 7);
    const { body } = await a(0, 'POST', '/jobs/aggregate', { gradients: [row, row, row, row], num_clusters: 1, byzantine_fraction: 0.1 });
    const job = await finished(body.id as string);
    expect(job).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const dead = await a(1, 'GET', '/jobs/dead-letter');
    expect(dead.status).toBe(200);
    expect(dead.body.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ id: body.id, tenant: 'tenant-a', state: 'failed' })]));
    expect((await call(api(1), 'GET', '/jobs/dead-letter', TENANT_KEYS.bCrypto)).status).toBe(403);
  });

  it('cancels a queued job at once and a running job on its worker', async () => {
    const [r1, r2, q] = [await a(0, 'POST', '/jobs/validate', LONG), await a(1, 'POST', '/jobs/validate', { ...LONG, seed: 4 }), await a(0, 'POST', '/jobs/validate', { ...LONG, seed: 5 })];
    const running = [r1.body.id as string, r2.body.id as string];
    await until('both workers busy', async () => (await Promise.all(running.map(state))).every((s) => s === 'running'), 60_000, 50);
    const queued = await a(1, 'DELETE', `/jobs/${q.body.id}`);
    expect(queued.status).toBe(202);
    expect(queued.body.state).toBe('cancelled');
    expect((await a(1, 'GET', `/jobs/${q.body.id}`)).body.state).toBe('cancelled');
    for (const id of running) expect((await a(1, 'DELETE', `/jobs/${id}`)).status).toBe(202);
    for (const id of running) {
      const job = await finished(id);
      expect(job.state).toBe('cancelled');
      expect(job.result).toBeUndefined();
    }
    const cancelledRuns = (await workerMetrics()).reduce((n, m) => n + counter(m, 'mfn_jobs_finished_total', { outcome: 'cancelled' }), 0);
    expect(cancelledRuns).toBeGreaterThanOrEqual(2);
  });

  it("serves another tenant's single job before most of a 30-job flood", async () => {
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => a(i, 'POST', '/jobs/simulate', { ...MEDIUM, seed: 200 + i })));
    const single = await call(api(1), 'POST', '/jobs/simulate', TENANT_KEYS.b, MEDIUM);
    expect(single.status).toBe(202);
    const job = await finished(single.body.id as string, TENANT_KEYS.b);
    expect(job.state).toBe('completed');
    const jobs = (await Promise.all(flood.map((r) => a(0, 'GET', `/jobs/${r.body.id}`)))).map((r) => r.body as { started_at?: string });
    // The flood's jobs still waiting when the single job arrived, and those of them run before it:
    // with two workers, at most the few that share its priority.
    const waiting = jobs.filter((j) => j.started_at === undefined || j.started_at > (single.body.created_at as string));
    const ahead = waiting.filter((j) => j.started_at !== undefined && j.started_at < (job.started_at as string));
    expect(waiting.length).toBeGreaterThanOrEqual(15);
    expect(ahead.length).toBeLessThanOrEqual(4);
    for (const r of flood) await finished(r.body.id as string);
  });

  it('finishes a job on the other worker when its worker is killed mid-run', async () => {
    const { body } = await a(0, 'POST', '/jobs/validate', LONG);
    const id = body.id as string;
    let holder: ServiceProcess | undefined;
    await until('the job started on a worker', () => {
      holder = workers.find((w) => w.stdout().includes(`"job_id":"${id}"`));
      return holder !== undefined;
    }, 60_000, 50);
    holder?.child.kill('SIGKILL');
    await holder?.exited;
    const job = await finished(id);
    expect(job.state).toBe('completed');
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    const survivor = workers.find((w) => w !== holder);
    expect(survivor?.stdout()).toContain(`"job_id":"${id}"`);
  });

  it('forgets results after the TTL (role all on Redis)', async () => {
    const base = solo?.baseUrl ?? '';
    const { body } = await call(base, 'POST', '/jobs/simulate', TENANT_KEYS.a, SMALL);
    expect((await finished(body.id as string, TENANT_KEYS.a, base)).state).toBe('completed');
    await until('result expired', async () => (await call(base, 'GET', `/jobs/${body.id}`, TENANT_KEYS.a)).status === 404, 30_000, 200);
  });
});
