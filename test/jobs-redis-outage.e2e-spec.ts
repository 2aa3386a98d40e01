import { ThrowawayRedis } from './helpers/redis-server';
import { ServiceProcess, freePort, startServiceProcess, waitUntilUp } from './helpers/service-process';
import { TENANT_ENV, TENANT_KEYS } from './helpers/tenants';
import { until } from './helpers/until';

/**
 * The queue's Redis goes away under an API process and a worker process, and comes back: both
 * processes stay up (BullMQ's connection errors are logged, bounded, never thrown at the
 * process), and a job submitted after the return completes.
 */
jest.setTimeout(180_000);

const SMALL = { seed: 1, grid_size: 16, steps: 5 };

async function submit(base: string): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${base}/jobs/simulate`, {
    method: 'POST',
    headers: { 'X-API-Key': TENANT_KEYS.a, 'Content-Type': 'application/json' },
    body: JSON.stringify(SMALL),
  });
  const body = (await res.json()) as { id?: string };
  return { status: res.status, id: body.id };
}

describe('job queue through a Redis outage (separate API and worker processes)', () => {
  let redis: ThrowawayRedis;
  let api: ServiceProcess;
  let worker: ServiceProcess;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    const env = async (role: string) => ({
      ...TENANT_ENV,
      MFN_ENV: 'dev',
      MFN_REDIS_URL: redis.url,
      MFN_ROLE: role,
      MFN_COMPUTE_WORKERS: '1',
      MFN_JOBS_STALLED_INTERVAL_MS: '1000',
      MFN_LOG_FORMAT: 'json',
      MFN_SHUTDOWN_TIMEOUT_MS: '2000',
      PORT: String(await freePort()),
    });
    api = startServiceProcess(await env('api'));
    worker = startServiceProcess(await env('worker'));
    await Promise.all([waitUntilUp(api, 60_000), waitUntilUp(worker, 60_000)]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.stop();
  });

  it('keeps both processes up while Redis is away, logs the outage in bounded lines, and completes a job once it is back', async () => {
    const first = await submit(api.baseUrl);
    expect(first.status).toBe(202);
    await redis.stop();
    // The worker's blocking connection and the API's event stream meet the outage: wait until
    // the worker has said so, then a little longer for the retries.
    await until('the worker logs the queue outage', async () => worker.stdout().includes('job queue connection error'), 60_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    expect((await fetch(`${worker.baseUrl}/health/live`)).status).toBe(200);
    const during = await submit(api.baseUrl);
    expect(during.status).toBeGreaterThanOrEqual(500);

    await redis.resume();
    let job: { status: number; id?: string } = { status: 0 };
    await until('a submission is accepted again', async () => (job = await submit(api.baseUrl)).status === 202, 60_000, 250);
    await until(`job ${job.id} completed`, async () => {
      const res = await fetch(`${api.baseUrl}/jobs/${job.id}`, { headers: { 'X-API-Key': TENANT_KEYS.a } });
      return ((await res.json()) as { state?: string }).state === 'completed';
    }, 90_000, 200);
    const outageLines = worker.stdout().split('\n').filter((l) => l.includes('job queue connection error'));
    expect(outageLines.length).toBeLessThan(20);
    expect(worker.stdout() + worker.stderr() + api.stderr()).not.toMatch(/ERR_UNHANDLED_ERROR|Unhandled error/);
  });

  it('exits on SIGTERM while the queue\'s Redis is unreachable (the close is bounded by MFN_SHUTDOWN_TIMEOUT_MS)', async () => {
    await redis.stop();
    await until('the worker logs the outage again', async () => worker.stdout().split('\n').filter((l) => l.includes('job queue connection error')).length > 0, 30_000, 100);
    const [apiCode, workerCode] = await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
    expect({ apiCode, workerCode }).toEqual({ apiCode: 0, workerCode: 0 });
  });
});
