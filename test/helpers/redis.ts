import type Redis from 'ioredis';
import { register } from 'prom-client';

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
