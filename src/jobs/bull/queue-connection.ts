import { Cluster } from 'ioredis';
import type { JobsConfig, RedisConfig } from '../../config';
import { createRedisClient, type RedisClient } from '../../redis';
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

/** BullMQ's own reconnect pacing for the connections it makes from options (1 s up to 20 s). */
const reconnectDelay = (attempt: number): number => Math.max(Math.min(Math.exp(attempt), 20_000), 1_000);

/**
 * The one place the job queue's Redis connection is made, for every topology of MFN_REDIS_URL
 * (one server, Sentinel, Cluster) through createRedisClient. BullMQ shares this client for the
 * queue's plain commands and duplicates it for its blocking ones (workers, event streams);
 * `maxRetriesPerRequest: null` is what those require. BullMQ closes the duplicates it makes but
 * leaves this client open: QueueConnectionCloser closes it once BullMQ is done.
 */
export function createQueueConnection(url: string, redis: RedisConfig): RedisClient {
  const tls = redisTlsOptions(url, redis);
  const client = createRedisClient(url, {
    redis: { maxRetriesPerRequest: null, connectTimeout: 5_000, retryStrategy: reconnectDelay },
    ...(tls ? { tls } : {}),
  });
  // BullMQ reports errors through its own listeners once it holds the client.
  client.on('error', () => undefined);
  return client;
}

/**
 * A client of its own on the same Redis (same topology, credentials and TLS) for the job
 * store's keys beside the queue (commands BullMQ's client abstraction does not offer); commands
 * fail fast while disconnected instead of waiting as the queue's do.
 */
export function storeClientFor(connection: RedisClient): RedisClient {
  if (connection instanceof Cluster) {
    return connection.duplicate([], { enableOfflineQueue: true, redisOptions: { maxRetriesPerRequest: 1 } });
  }
  return connection.duplicate({ maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

/** Closes a client at once: QUIT on a live connection, else no more reconnecting. */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
