import Redis from 'ioredis';
import { SentinelSet, ThrowawayCluster, ask } from './helpers/redis-topology';
import { createTestApp, TestApp } from './helpers/test-app';
import { as, TENANT_ENV, TENANT_KEYS } from './helpers/tenants';
import { until } from './helpers/until';

jest.setTimeout(240_000);

/**
 * The job queue (BullMQ queue, worker and event stream, and the job store beside them) on a
 * Redis Sentinel set and on a Redis Cluster, each spawned for the suite: jobs submitted through
 * the API run to completion, on the Cluster every key of the queue shares one slot, and closing
 * the app closes every connection it made.
 */

const SMALL = { seed: 1, grid_size: 16, steps: 5 };
const PREFIX = 'mfn-test-jobtopo';
const TAG = `{${PREFIX}-jobs}`;
const TERMINAL = ['completed', 'failed', 'cancelled'];
/** The Sentinel set's data lives in a database other than 0. */
const SENTINEL_DB = 3;

type Json = Record<string, unknown>;

function envFor(redisUrl: string): Record<string, string> {
  return {
    ...TENANT_ENV,
    MFN_ROLE: 'all',
    MFN_REDIS_URL: redisUrl,
    MFN_JOBS_BACKEND: 'redis',
    MFN_JOBS_KEY_PREFIX: PREFIX,
    MFN_RATE_LIMIT_KEY_PREFIX: `${PREFIX}:rl`,
    MFN_COMPUTE_WORKERS: '1',
    MFN_JOBS_CONCURRENCY: '2',
  };
}

/** Submits `count` small simulations as tenant a and polls each until it has finished. */
async function runJobs(t: TestApp, count: number): Promise<Json[]> {
  const client = as(t, TENANT_KEYS.a);
  const submitted = await Promise.all(Array.from({ length: count }, (_, i) => client.post('/jobs/simulate', { ...SMALL, seed: i + 1 })));
  for (const res of submitted) expect(res.status).toBe(202);
  const finished: Json[] = [];
  for (const res of submitted) {
    let job: Json = {};
    await until(`job ${String(res.body.id)} finished`, async () => {
      job = (await client.get(`/jobs/${String(res.body.id)}`)).body as Json;
      return TERMINAL.includes(job.state as string);
    }, 120_000, 100);
    finished.push(job);
  }
  return finished;
}

async function expectCompleted(t: TestApp): Promise<void> {
  const jobs = await runJobs(t, 3);
  for (const job of jobs) expect(job).toMatchObject({ kind: 'simulate', state: 'completed', progress: 100, attempts: 1 });
  const sync = await as(t, TENANT_KEYS.a).post('/simulate', SMALL);
  expect(sync.status).toBe(200);
  expect(jobs[0]!.result).toEqual(sync.body);
}

/**
 * The client connections a server holds besides the question itself, a replica's link and the
 * Sentinels' links.
 */
async function appConnections(port: number): Promise<string[]> {
  const list = String(await ask(port, 'CLIENT', 'LIST'));
  return list
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .filter((line) => !/ cmd=client\|list /.test(` ${line} `))
    .filter((line) => !/ flags=[A-Za-z]*S/.test(` ${line}`))
    .filter((line) => !/ name=sentinel-/.test(` ${line}`));
}

describe('jobs on Redis Sentinel (1 master, 1 replica, 2 sentinels)', () => {
  let set: SentinelSet;
  let t: TestApp | undefined;

  beforeAll(async () => {
    set = await SentinelSet.start(2);
    t = await createTestApp(envFor(set.url(SENTINEL_DB)));
  });

  afterAll(async () => {
    await t?.close();
    await set?.dispose();
  });

  it('runs jobs submitted through the API to completion', async () => {
    await expectCompleted(t!);
  });

  it('keeps the queue on the master, in the database of the URL', async () => {
    const master = new Redis({ host: '127.0.0.1', port: set.master.port, db: SENTINEL_DB, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await master.connect();
      const keys = await master.keys(`${TAG}:*`);
      expect(keys).toEqual(expect.arrayContaining([`${TAG}:jobs:meta`, `${TAG}:jobs:completed`]));
    } finally {
      master.disconnect();
    }
  });

  // Last: it closes the app.
  it('closes every connection to the master when the app closes', async () => {
    expect((await appConnections(set.master.port)).length).toBeGreaterThan(0);
    await t!.close();
    t = undefined;
    await until('no connection left on the master', async () => (await appConnections(set.master.port)).length === 0, 30_000, 100);
  });
});

describe('jobs on Redis Cluster (3 masters)', () => {
  let cluster: ThrowawayCluster;
  let t: TestApp | undefined;

  beforeAll(async () => {
    cluster = await ThrowawayCluster.start(3);
    t = await createTestApp(envFor(cluster.url));
  });

  afterAll(async () => {
    await t?.close();
    await cluster?.dispose();
  });

  it('runs jobs submitted through the API to completion', async () => {
    await expectCompleted(t!);
  });

  it('keeps every key of the queue and of the job store in one slot', async () => {
    const keys = await cluster.keys(`${TAG}:*`);
    expect(keys).toEqual(expect.arrayContaining([`${TAG}:jobs:meta`, `${TAG}:jobs:completed`, `${TAG}:jobs:events`]));
    // Every key of the app that names the queue's prefix is under its hash tag.
    expect(await cluster.keys(`*${PREFIX}-jobs*`)).toHaveLength(keys.length);
    const slots = new Set(await Promise.all(keys.map((k) => cluster.keyslot(k))));
    expect(slots.size).toBe(1);
    expect([...slots][0]).toBe(await cluster.keyslot(TAG));
  });

  // Last: it closes the app.
  it('closes every connection to every node when the app closes', async () => {
    const before = await Promise.all(cluster.nodes.map((n) => appConnections(n.port)));
    expect(before.flat().length).toBeGreaterThan(0);
    await t!.close();
    t = undefined;
    await until(
      'no connection left on the nodes',
      async () => (await Promise.all(cluster.nodes.map((n) => appConnections(n.port)))).every((c) => c.length === 0),
      30_000,
      100,
    );
  });
});
