import IORedis from 'ioredis';
import type Redis from 'ioredis';
import { register } from 'prom-client';
import { listenOnce } from './raw-http';
import { SHARED_REDIS_URL } from './redis-url';
import { TestApp, createTestApp } from './test-app';

/** Deletes every key matching `pattern` (SCAN in batches, so a large keyspace is not blocked). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The rate limiter's Redis-fallback gauge in this process's registry (1 = serving from memory). */
export async function fallbackGauge(): Promise<number | undefined> {
  const metric = await register.getSingleMetric('mfn_redis_fallback_active')?.get();
  return metric?.values.find((v) => v.labels.component === 'rate_limit')?.value;
}

export { SHARED_REDIS_URL } from './redis-url';

/** A connection to the shared Redis (or to `url`) for a suite to inspect and clean up; connected on return. */
export async function connectRedis(url = SHARED_REDIS_URL): Promise<Redis> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return redis;
}

/** Two replicas of the app on one Redis (both listening), and a connection to inspect it. */
export interface ReplicaPair {
  a: TestApp;
  b: TestApp;
  inspector: Redis;
  /** Closes both replicas and deletes every key under `prefix`. */
  close(): Promise<void>;
}

export async function startReplicaPair(env: Record<string, string>, prefix: string): Promise<ReplicaPair> {
  const inspector = await connectRedis();
  const a = await createTestApp(env);
  const b = await createTestApp(env);
  await Promise.all([listenOnce(a.server), listenOnce(b.server)]);
  return {
    a,
    b,
    inspector,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await deleteKeys(inspector, `${prefix}:*`);
      inspector.disconnect();
    },
  };
}
