import type { RedisOptions as BullRedisOptions } from 'bullmq';
import Redis from 'ioredis';
import type { JobsConfig, RedisConfig } from '../../config';
import { redisTlsOptions } from '../../redis/redis-tls';

/** The BullMQ queue of compute jobs. */
export const JOBS_QUEUE = 'jobs';

/**
 * The BullMQ key prefix: the configured prefix inside a hash tag, so every key of the queue (and
 * the store's own keys beside it) lands in one Redis Cluster slot, as BullMQ's scripts require.
 */
export function jobsKeyPrefix(config: JobsConfig): string {
  return `{${config.keyPrefix}-jobs}`;
}

/**
 * The one place the job queue's Redis connection is made: options for every BullMQ connection
 * (queue, workers, event streams), from the MFN_REDIS_URL secret and the TLS settings beside it.
 * BullMQ opens, duplicates and closes the connections itself; `maxRetriesPerRequest: null` is
 * what its blocking commands require.
 */
export function createQueueConnection(url: string, redis: RedisConfig): BullRedisOptions {
  const tls = redisTlsOptions(url, redis);
  return { url: url.trim(), maxRetriesPerRequest: null, connectTimeout: 5_000, ...(tls ? { tls } : {}) };
}

/**
 * A plain client on the same server for the job store's own keys beside the queue (commands
 * BullMQ's client abstraction does not offer); commands fail fast while disconnected.
 */
export function storeClientFor(connection: unknown): Redis {
  const { url, ...options } = connection as BullRedisOptions;
  return new Redis(url ?? '', { ...options, maxRetriesPerRequest: 1, enableOfflineQueue: true });
}
