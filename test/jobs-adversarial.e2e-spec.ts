import { randomBytes } from 'node:crypto';
import http from 'node:http';
import request from 'supertest';
import { MAX_WATCHERS_PER_TENANT } from '../src/jobs/job-event-hub';
import { connectRedis, deleteKeys, SHARED_REDIS_URL } from './helpers/redis';
import { ThrowawayRedis } from './helpers/redis-server';
import { TestApp, createTestApp } from './helpers/test-app';
import { TENANT_ENV, TENANT_KEYS } from './helpers/tenants';
import { until } from './helpers/until';

/**
 * The jobs API under attack: a second tenant, hostile ids and headers, floods, over-sized bodies,
 * the compute work budget shared with the synchronous routes, and the queue's readiness.
 */
jest.setTimeout(180_000);

const SMALL = { seed: 1, grid_size: 16, steps: 5 };
/** A few seconds of work: long enough to stay running while the test looks. */
const LONG = { seed: 3, epochs: 100, batch_size: 1, grid_size: 64, steps: 200 };
const TERMINAL = ['completed', 'failed', 'cancelled'];
const OPERATOR_KEY = randomBytes(24).toString('hex');
const KEYS_ENV: Record<string, string> = {
  ...TENANT_ENV,
  MFN_API_KEYS: JSON.stringify({
    keys: [
      ...(JSON.parse(TENANT_ENV.MFN_API_KEYS) as { keys: unknown[] }).keys,
      { id: 'operator', key: OPERATOR_KEY, roles: ['admin', 'keys-admin'] },
    ],
  }),
};

type Client = ReturnType<typeof clientOf>;
function clientOf(base: string, key: string | undefined) {
  const auth = (r: request.Test) => (key === undefined ? r : r.set('X-API-Key', key));
  return {
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      auth(request(base).post(path)).set('Content-Type', 'application/json').set(headers).send(typeof body === 'string' ? body : JSON.stringify(body)),
    get: (path: string) => auth(request(base).get(path)),
    delete: (path: string) => auth(request(base).delete(path)),
  };
}

function expectEnvelope(res: request.Response, status: number | number[]): void {
  expect([status].flat()).toContain(res.status);
  expect(res.body).toEqual(expect.objectContaining({ error_code: expect.any(String), message: expect.any(String) }));
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\.ts:\d/);
}

async function finished(client: Client, id: string): Promise<request.Response> {
  let res!: request.Response;
  await until(`job ${id} finished`, async () => {
    res = await client.get(`/jobs/${id}`);
    return TERMINAL.includes(res.body.state as string);
  }, 120_000, 100);
  return res;
}

/** Opens an event stream and resolves with its status once the response head is in (the socket stays open). */
function openStream(base: string, path: string, key: string): Promise<{ status: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { 'X-API-Key': key, Accept: 'text/event-stream' } }, (res) => {
      res.on('data', () => undefined);
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('jobs under attack, in process (e2e)', () => {
  let t: TestApp;
  let base: string;
  let a: Client;
  let b: Client;
  let longId: string;

  beforeAll(async () => {
    t = await createTestApp({
      ...KEYS_ENV,
      MFN_COMPUTE_WORKERS: '1',
      MFN_JOBS_CONCURRENCY: '1',
      MFN_JOBS_MAX_QUEUED_PER_TENANT: '3',
      MFN_JOBS_MAX_RESULT_BYTES: '1024',
      MFN_MAX_BODY_BYTES: '4096',
    });
    base = await t.listen();
    a = clientOf(base, TENANT_KEYS.a);
    b = clientOf(base, TENANT_KEYS.b);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers hostile job ids with the 404/400 envelope, never 500', async () => {
    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '..',
      'x'.repeat(10_000),
      'not-a-uuid',
      '%E2%98%83%F0%9F%92%A9',
      '%00',
      '%ZZ',
      '0B7C5D1E-8F3A-4C2B-9D6E-1A2B3C4D5E6F',
      '0b7c5d1e-8f3a-4c2b-9d6e-1a2b3c4d5e6f',
    ];
    for (const id of ids) {
      expectEnvelope(await a.get(`/jobs/${id}`), [400, 404]);
      expectEnvelope(await a.delete(`/jobs/${id}`), [400, 404]);
      expectEnvelope(await a.get(`/jobs/${id}/events`), [400, 404]);
    }
  });

  it('refuses malformed Idempotency-Keys with 400 before anything is queued', async () => {
    for (const key of ['k'.repeat(10_000), 'a b', 'a\tb', 'a/b', '', '"quoted"', 'x'.repeat(129)]) {
      expectEnvelope(await a.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key }), 400);
    }
  });

  it('keeps Idempotency-Keys per tenant: the same key in another tenant is its own job, never a 409', async () => {
    const key = `shared-${randomBytes(6).toString('hex')}`;
    const first = await a.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const other = await b.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key });
    expect(other.status).toBe(202);
    expect(other.body.id).not.toBe(first.body.id);
    const otherBody = await b.post('/jobs/simulate', { ...SMALL, seed: 2 }, { 'Idempotency-Key': `${key}-2` });
    expect(otherBody.status).toBe(202);
    // B's own key with another body than B's first use is B's 409; A's use of the key never shows.
    expect((await b.post('/jobs/simulate', { ...SMALL, seed: 9 }, { 'Idempotency-Key': key })).status).toBe(409);
    expect((await a.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key })).body.id).toBe(first.body.id);
    expect((await b.get(`/jobs/${first.body.id}`)).status).toBe(404);
  });

  it('binds a key to the validated body: key order, whitespace and spelt-out defaults are the same job', async () => {
    const key = `canon-${randomBytes(6).toString('hex')}`;
    const first = await a.post('/jobs/simulate', '{"seed":7,"grid_size":16,"steps":5}', { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const reordered = await a.post('/jobs/simulate', ' {\n  "steps" : 5 ,\t"grid_size":16, "seed": 7 }\n', { 'Idempotency-Key': key });
    expect(reordered.status).toBe(202);
    expect(reordered.body.id).toBe(first.body.id);
    const defaults = await a.post('/jobs/simulate', { seed: 7, grid_size: 16, steps: 5, alpha: 0.18, turing_enabled: true }, { 'Idempotency-Key': key });
    expect(defaults.body.id).toBe(first.body.id);
    expect((await a.post('/jobs/simulate', { seed: 7, grid_size: 16, steps: 6 }, { 'Idempotency-Key': key })).status).toBe(409);
  });

  it("leaves another tenant's job alone: DELETE is 404 and the job runs on", async () => {
    const long = await a.post('/jobs/validate', LONG);
    expect(long.status).toBe(202);
    longId = long.body.id as string;
    expectEnvelope(await b.delete(`/jobs/${longId}`), 404);
    expect(['queued', 'running']).toContain((await a.get(`/jobs/${longId}`)).body.state);
  });

  it('caps the event streams one tenant holds open, leaving the rest to the others', async () => {
    const queued = await a.post('/jobs/simulate', { ...SMALL, seed: 11 });
    expect(queued.status).toBe(202);
    const id = queued.body.id as string;
    const streams: Array<{ status: number; close: () => void }> = [];
    try {
      for (let i = 0; i < MAX_WATCHERS_PER_TENANT; i++) streams.push(await openStream(base, `/jobs/${id}/events`, TENANT_KEYS.a));
      expect(streams.every((s) => s.status === 200)).toBe(true);
      const refused = await a.get(`/jobs/${id}/events`);
      expectEnvelope(refused, 429);
      expect(refused.body.error_code).toBe('RATE_LIMIT_EXCEEDED');
      const bJob = await b.post('/jobs/simulate', { ...SMALL, seed: 12 });
      const bStream = await openStream(base, `/jobs/${bJob.body.id}/events`, TENANT_KEYS.b);
      expect(bStream.status).toBe(200);
      bStream.close();
    } finally {
      for (const s of streams) s.close();
    }
    await until('streams closed', async () => (await openStream(base, `/jobs/${id}/events`, TENANT_KEYS.a).then((s) => (s.close(), s.status))) === 200, 30_000);
  });

  it('bounds the queued jobs per tenant (429 with retry_after) without refusing another tenant', async () => {
    const submitted: string[] = [];
    let refused: request.Response | undefined;
    for (let seed = 100; seed < 110 && refused === undefined; seed++) {
      const res = await a.post('/jobs/validate', { ...LONG, seed });
      if (res.status === 202) submitted.push(res.body.id as string);
      else refused = res;
    }
    expect(refused).toBeDefined();
    expectEnvelope(refused!, 429);
    expect(refused!.body.retry_after).toBeGreaterThan(0);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    const other = await b.post('/jobs/simulate', { ...SMALL, seed: 13 });
    expect(other.status).toBe(202);
    for (const id of [...submitted, longId]) {
      const res = await a.delete(`/jobs/${id}`);
      expect([202, 409]).toContain(res.status);
    }
    for (const id of submitted) expect((await finished(a, id)).body.state).toBe('cancelled');
  });

  it('answers 409 to a cancel of a finished job, and audits no cancellation', async () => {
    const job = await a.post('/jobs/simulate', { ...SMALL, seed: 21 });
    const done = await finished(a, job.body.id as string);
    expect(done.body.state).toBe('completed');
    const again = await a.delete(`/jobs/${job.body.id}`);
    expectEnvelope(again, 409);
    expect(again.body.error_code).toBe('CONFLICT');
    expect((await a.get(`/jobs/${job.body.id}`)).body.state).toBe('completed');
    const cancels = t.logs.records().filter((r) => r.action === 'job_cancelled' && JSON.stringify(r).includes(job.body.id as string));
    expect(cancels).toEqual([]);
  });

  it("shows the dead letter of the caller's tenant only; every tenant's to keys-admin", async () => {
    const row = Array.from({ length: 300 }, (_, i) => i / 7);
    const big = await a.post('/jobs/aggregate', { gradients: [row, row, row, row], num_clusters: 1, byzantine_fraction: 0.1 });
    expect((await finished(a, big.body.id as string)).body).toMatchObject({ state: 'failed', error: { code: 'PAYLOAD_TOO_LARGE' } });
    const own = await a.get('/jobs/dead-letter');
    expect(own.status).toBe(200);
    expect(own.body.jobs.map((j: { id: string }) => j.id)).toContain(big.body.id);
    const other = await b.get('/jobs/dead-letter');
    expect(other.status).toBe(200);
    expect(other.body.jobs.filter((j: { tenant: string }) => j.tenant !== 'tenant-b')).toEqual([]);
    const operator = await clientOf(base, OPERATOR_KEY).get('/jobs/dead-letter');
    expect(operator.body.jobs.map((j: { id: string }) => j.id)).toContain(big.body.id);
    expect((await clientOf(base, TENANT_KEYS.bCrypto).get('/jobs/dead-letter')).status).toBe(403);
  });

  it('refuses bodies over the byte limit with 413, unauthenticated calls with 401 before the body, roles without compute with 403', async () => {
    const padded = JSON.stringify({ ...SMALL, pad: 'x'.repeat(8_000) });
    expectEnvelope(await a.post('/jobs/simulate', padded), 413);
    expectEnvelope(await clientOf(base, undefined).post('/jobs/simulate', padded), 401);
    expectEnvelope(await clientOf(base, 'wrong-key').post('/jobs/validate', SMALL), 401);
    expectEnvelope(await clientOf(base, undefined).get('/jobs/dead-letter'), 401);
    const crypto = clientOf(base, TENANT_KEYS.bCrypto);
    expectEnvelope(await crypto.post('/jobs/simulate', SMALL), 403);
    expectEnvelope(await crypto.get(`/jobs/${randomUuid()}`), 403);
    expectEnvelope(await crypto.delete(`/jobs/${randomUuid()}`), 403);
  });

  it('audits a script tag in a job id as suspicious activity; drops unknown body fields like the synchronous route', async () => {
    expectEnvelope(await a.get('/jobs/%3Cscript%3Ealert(1)%3C%2Fscript%3E'), 404);
    await until('suspicious_activity audited', () =>
      t.logs.records().some((r) => r.action === 'suspicious_activity' && JSON.stringify(r).includes('/jobs/')),
    );
    const key = `strip-${randomBytes(6).toString('hex')}`;
    const plain = await a.post('/jobs/simulate', { ...SMALL, seed: 31 }, { 'Idempotency-Key': key });
    const tagged = await a.post('/jobs/simulate', { ...SMALL, seed: 31, name: '<script>alert(1)</script>' }, { 'Idempotency-Key': key });
    expect((await a.post('/simulate', { ...SMALL, name: '<script>alert(1)</script>' })).status).toBe(200);
    expect(tagged.status).toBe(202);
    expect(tagged.body.id).toBe(plain.body.id);
    expect(JSON.stringify((await finished(a, plain.body.id as string)).body)).not.toContain('script');
  });

  it('writes no body values, Idempotency-Keys or API keys into audit or log lines', async () => {
    const idem = `secret-idem-${randomBytes(8).toString('hex')}`;
    const job = await a.post('/jobs/simulate', { seed: 987_654_321, grid_size: 16, steps: 5 }, { 'Idempotency-Key': idem });
    await finished(a, job.body.id as string);
    await until('job_submitted audited', () => t.logs.records().some((r) => r.action === 'job_submitted' && JSON.stringify(r).includes(job.body.id as string)));
    const submitted = t.logs.records().filter((r) => r.action === 'job_submitted' || r.action === 'job_cancelled');
    expect(submitted.length).toBeGreaterThan(0);
    for (const line of submitted) {
      expect(JSON.stringify(line)).not.toMatch(/987654321|grid_size|"steps"|secret-idem/);
    }
    const all = t.logs.text();
    for (const secret of [idem, TENANT_KEYS.a, TENANT_KEYS.b, OPERATOR_KEY]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/node_modules|\/work\//);
  });
});

function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}

describe('jobs spend the compute work budget of the synchronous routes (e2e)', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({
      ...TENANT_ENV,
      MFN_COMPUTE_WORKERS: '1',
      MFN_RATE_LIMIT_ENABLED: 'true',
      MFN_RATE_LIMIT_WINDOW: '3600',
      MFN_COMPUTE_WORK_LIMIT: '10',
    });
    base = await t.listen();
  });
  afterAll(async () => {
    await t?.close();
  });

  // 128 x 128 x 200 cell-steps: 4 work units.
  const FOUR = { grid_size: 128, steps: 200 };

  it('charges a job like the synchronous call: one budget for both paths, per caller', async () => {
    const a = clientOf(base, TENANT_KEYS.a);
    expect((await a.post('/jobs/simulate', { ...FOUR, seed: 1 })).status).toBe(202);
    expect((await a.post('/simulate', { ...FOUR, seed: 2 })).status).toBe(200);
    // 8 of 10 spent: neither path has 4 more.
    const sync = await a.post('/simulate', { ...FOUR, seed: 3 });
    expectEnvelope(sync, 429);
    const job = await a.post('/jobs/simulate', { ...FOUR, seed: 4 });
    expectEnvelope(job, 429);
    expect(job.body.error_code).toBe('RATE_LIMIT_EXCEEDED');
    expect(job.body.retry_after).toBeGreaterThan(0);
    expect(Number(job.headers['retry-after'])).toBeGreaterThan(0);
    await until('work_budget audited for the job route', () =>
      t.logs.records().some((r) => r.action === 'rate_limit_exceeded' && JSON.stringify(r.details).includes('/jobs/simulate')),
    );
    // Another caller has its own budget.
    expect((await clientOf(base, TENANT_KEYS.b).post('/jobs/simulate', { ...FOUR, seed: 5 })).status).toBe(202);
  });

  it('refuses with 400 a job that costs more than the whole budget', async () => {
    const res = await clientOf(base, TENANT_KEYS.b).post('/jobs/simulate', { seed: 1, grid_size: 256, steps: 1000 });
    expectEnvelope(res, 400);
    expect(res.body.message).toMatch(/work units/);
  });
});

describe('jobs under attack, BullMQ store (e2e)', () => {
  const prefix = `adv-${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ ...TENANT_ENV, MFN_REDIS_URL: SHARED_REDIS_URL, MFN_JOBS_BACKEND: 'redis', MFN_JOBS_KEY_PREFIX: prefix, MFN_COMPUTE_WORKERS: '1' });
    base = await t.listen();
  });
  afterAll(async () => {
    await t?.close();
    const redis = await connectRedis();
    await deleteKeys(redis, `{${prefix}-jobs}*`);
    await redis.quit();
  });

  it('keeps Idempotency-Keys per tenant in Redis too', async () => {
    const key = `shared-${randomBytes(6).toString('hex')}`;
    const a = clientOf(base, TENANT_KEYS.a);
    const b = clientOf(base, TENANT_KEYS.b);
    const first = await a.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const other = await b.post('/jobs/simulate', { ...SMALL, seed: 5 }, { 'Idempotency-Key': key });
    expect(other.status).toBe(202);
    expect(other.body.id).not.toBe(first.body.id);
    expect((await a.post('/jobs/simulate', SMALL, { 'Idempotency-Key': key })).body.id).toBe(first.body.id);
    for (const id of ['..%2F..', 'x'.repeat(10_000), '%E2%98%83']) expectEnvelope(await b.get(`/jobs/${id}`), [400, 404]);
    expectEnvelope(await b.get(`/jobs/${first.body.id}`), 404);
    expectEnvelope(await b.delete(`/jobs/${first.body.id}`), 404);
    expect((await finished(a, first.body.id as string)).body.state).toBe('completed');
  });

  it("reports the queue's connection in /health/ready", async () => {
    const ready = await request(base).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.stringify(ready.body)).toContain('jobs_queue');
  });
});

describe("a worker's readiness follows the queue's Redis (e2e)", () => {
  let server: ThrowawayRedis;
  let t: TestApp;

  beforeAll(async () => {
    server = await ThrowawayRedis.start();
    t = await createTestApp({ MFN_ROLE: 'worker', MFN_REDIS_URL: server.url, MFN_JOBS_BACKEND: 'redis', MFN_COMPUTE_WORKERS: '1' });
  });
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await server?.dispose();
  });

  it('is ready with the queue up and not ready once its Redis is gone', async () => {
    const base = await t.listen();
    await until('worker ready', async () => (await request(base).get('/health/ready')).status === 200, 30_000);
    await server.stop();
    let body = '';
    await until('worker not ready', async () => {
      const res = await request(base).get('/health/ready');
      body = JSON.stringify(res.body);
      return res.status === 503;
    }, 30_000);
    expect(body).toContain('jobs_queue');
    // Connection errors are structured warnings (code only), not stacks printed per retry.
    await until('queue connection warning', () => t.logs.records().some((r) => String(r.message ?? '').startsWith('job queue connection error')), 30_000);
    const warnings = t.logs.lines.filter((l) => l.includes('job queue connection error'));
    for (const line of warnings) expect(line).not.toMatch(/node_modules|\bat |127\.0\.0\.1/);
    await server.resume();
    await until('worker ready again', async () => (await request(base).get('/health/ready')).status === 200, 60_000);
  });
});
