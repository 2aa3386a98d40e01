import request from 'supertest';
import { EventSource } from 'eventsource';
import { TestApp, createTestApp } from './helpers/test-app';
import { TENANT_ENV, TENANT_KEYS } from './helpers/tenants';
import { until } from './helpers/until';

/** The jobs API without Redis: the in-process store on the app's own compute pool. */
jest.setTimeout(120_000);

const SMALL = { seed: 1, grid_size: 16, steps: 5 };
const LONG = { seed: 3, epochs: 100, batch_size: 1, grid_size: 64, steps: 200 };
/** About a tenth of a second of work each. */
const MEDIUM = { seed: 5, grid_size: 128, steps: 400 };

describe('jobs in process (e2e)', () => {
  let t: TestApp;
  let base: string;
  const as = (key: string) => ({
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      request(base).post(path).set('X-API-Key', key).set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body)),
    get: (path: string) => request(base).get(path).set('X-API-Key', key),
    delete: (path: string) => request(base).delete(path).set('X-API-Key', key),
  });
  const a = () => as(TENANT_KEYS.a);
  const b = () => as(TENANT_KEYS.b);

  async function finished(id: string, client = a()): Promise<request.Response> {
    let res!: request.Response;
    await until(`job ${id} finished`, async () => {
      res = await client.get(`/jobs/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(res.body.state as string);
    }, 90_000, 100);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp({ ...TENANT_ENV, MFN_COMPUTE_WORKERS: '1', MFN_JOBS_CONCURRENCY: '1', MFN_JOBS_RESULT_TTL_S: '2', MFN_JOBS_MAX_RESULT_BYTES: '1024' });
    base = await t.listen();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs a job to the same result as the synchronous route', async () => {
    const submitted = await a().post('/jobs/simulate', SMALL);
    expect(submitted.status).toBe(202);
    expect(submitted.headers.location).toBe(`/jobs/${submitted.body.id}`);
    expect(['queued', 'running']).toContain(submitted.body.state);
    const polled = await a().get(submitted.headers.location as string);
    if (polled.body.state !== 'completed') expect(Number(polled.headers['retry-after'])).toBeGreaterThan(0);
    const done = await finished(submitted.body.id as string);
    expect(done.body).toMatchObject({ kind: 'simulate', state: 'completed', progress: 100, attempts: 1 });
    const sync = await a().post('/simulate', SMALL);
    expect(done.body.result).toEqual(sync.body);
    expect(done.headers['retry-after']).toBeUndefined();
  });

  it('validates bodies like the synchronous route and checks the role', async () => {
    const bad = await a().post('/jobs/validate', { epochs: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body.error_code).toBe('VALIDATION_ERROR');
    const ragged = await a().post('/jobs/aggregate', { gradients: [[1, 2], [3]], num_clusters: 1, byzantine_fraction: 0.1 });
    expect(ragged.status).toBe(400);
    const noKey = await request(base).post('/jobs/simulate').set('Content-Type', 'application/json').send('{}');
    expect(noKey.status).toBe(401);
    const cryptoOnly = await as(TENANT_KEYS.bCrypto).post('/jobs/simulate', SMALL);
    expect(cryptoOnly.status).toBe(403);
  });

  it('keeps tenants apart: another tenant gets the 404 of a missing job', async () => {
    const { body } = await a().post('/jobs/simulate', SMALL);
    const missing = await b().get('/jobs/00000000-0000-4000-8000-000000000000');
    const foreign = await b().get(`/jobs/${body.id}`);
    expect(foreign.status).toBe(404);
    expect({ code: foreign.body.error_code, message: foreign.body.message }).toEqual({ code: missing.body.error_code, message: missing.body.message });
    expect((await b().delete(`/jobs/${body.id}`)).status).toBe(404);
    expect((await b().get(`/jobs/${body.id}/events`)).status).toBe(404);
    expect((await a().get('/jobs/not-a-uuid')).status).toBe(404);
    await finished(body.id as string);
  });

  it('answers the same job for the same Idempotency-Key and body, 409 for another body', async () => {
    const key = { 'Idempotency-Key': `mem-${Date.now()}` };
    const first = await a().post('/jobs/simulate', SMALL, key);
    const again = await a().post('/jobs/simulate', { ...SMALL }, key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await a().post('/jobs/simulate', { ...SMALL, seed: 2 }, key);
    expect(other.status).toBe(409);
    expect(other.body.error_code).toBe('CONFLICT');
    // Another tenant's key space is its own.
    const theirs = await b().post('/jobs/simulate', SMALL, key);
    expect(theirs.body.id).not.toBe(first.body.id);
    const bad = await a().post('/jobs/simulate', SMALL, { 'Idempotency-Key': 'bad key!' });
    expect(bad.status).toBe(400);
    await finished(first.body.id as string);
    await finished(theirs.body.id as string, b());
  });

  it('cancels a running job through its signal and a queued one at once', async () => {
    const running = await a().post('/jobs/validate', LONG);
    const queued = await a().post('/jobs/validate', LONG);
    await until('first job running', async () => (await a().get(`/jobs/${running.body.id}`)).body.state === 'running', 30_000, 50);
    const cq = await a().delete(`/jobs/${queued.body.id}`);
    expect(cq.status).toBe(202);
    expect(cq.body.state).toBe('cancelled');
    expect((await a().delete(`/jobs/${running.body.id}`)).status).toBe(202);
    const done = await finished(running.body.id as string);
    expect(done.body.state).toBe('cancelled');
    expect(done.body.result).toBeUndefined();
  });

  it('streams progress and the result over SSE', async () => {
    const { body } = await a().post('/jobs/simulate', SMALL);
    const events: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      const source = new EventSource(`${base}/jobs/${body.id}/events`, {
        fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, 'X-API-Key': TENANT_KEYS.a } }),
      });
      source.addEventListener('job', (event) => {
        const job = JSON.parse(event.data) as Record<string, unknown>;
        events.push(job);
        if (job.state === 'completed') {
          source.close();
          resolve();
        }
      });
      source.onerror = () => {
        if (events.some((e) => e.state === 'completed')) return;
        source.close();
        reject(new Error('event stream failed'));
      };
    });
    expect(events.at(-1)).toMatchObject({ id: body.id, state: 'completed', progress: 100 });
    expect((events.at(-1) as { result: unknown }).result).toHaveProperty('fractal_dimension');
  });

  it("reports a simulation's steps as progress while it runs, rising, then 100 with the result", async () => {
    const { body } = await a().post('/jobs/simulate', { ...SMALL, grid_size: 256, steps: 1000 });
    const seen: number[] = [];
    let state = '';
    await until('the job finished', async () => {
      const res = await a().get(`/jobs/${body.id}`);
      state = res.body.state as string;
      seen.push(res.body.progress as number);
      return ['completed', 'failed', 'cancelled'].includes(state);
    }, 90_000, 5);
    expect(state).toBe('completed');
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true);
  });

  it('fails a job whose result is over the bound for good and lists it in the dead letter', async () => {
    const row = Array.from({ length: 300 }, (_, i) => i / 7);
    const { body } = await a().post('/jobs/aggregate', { gradients: [row, row, row, row], num_clusters: 1, byzantine_fraction: 0.1 });
    const done = await finished(body.id as string);
    expect(done.body).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(done.body.result).toBeUndefined();
    const dead = await a().get('/jobs/dead-letter');
    expect(dead.status).toBe(200);
    expect(dead.body.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ id: body.id, tenant: 'tenant-a', state: 'failed' })]));
    expect((await as(TENANT_KEYS.bCrypto).get('/jobs/dead-letter')).status).toBe(403);
  });

  it('forgets finished jobs after the TTL', async () => {
    const { body } = await a().post('/jobs/simulate', SMALL);
    await finished(body.id as string);
    await until('result expired', async () => (await a().get(`/jobs/${body.id}`)).status === 404, 30_000, 200);
  });

  it('serves one tenant between the jobs of another tenant that floods the queue', async () => {
    const flood = await Promise.all(Array.from({ length: 12 }, (_, i) => a().post('/jobs/simulate', { ...MEDIUM, seed: 100 + i })));
    const single = await b().post('/jobs/simulate', SMALL);
    const mine = await finished(single.body.id as string, b());
    expect(mine.body.state).toBe('completed');
    const floodJobs = (await Promise.all(flood.map((r) => a().get(`/jobs/${r.body.id}`)))).map((r) => r.body as { started_at?: string });
    // The flood's jobs still waiting when the single job arrived; round robin runs at most the
    // flood's next one (and the one already picked) before it.
    const waiting = floodJobs.filter((j) => j.started_at === undefined || j.started_at > (single.body.created_at as string));
    const ahead = waiting.filter((j) => j.started_at !== undefined && j.started_at < (mine.body.started_at as string));
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    expect(ahead.length).toBeLessThanOrEqual(2);
    for (const r of flood) await finished(r.body.id as string);
  });
});
