import Redis, { Cluster } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import { parseRedisTarget, type RedisTopology } from './redis-topology';

/** A connection to one server or a Sentinel-managed master (Redis), or to a whole Cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /**
   * Options of every data-node connection, passed through as they are (a queue passes
   * `maxRetriesPerRequest: null`, the service's stores a short command timeout). For a Cluster
   * `enableOfflineQueue` and `retryStrategy` become the Cluster's own options.
   */
  redis?: RedisOptions;
  /** TLS options of every connection (see redisTlsOptions); required for a `rediss…` URL. */
  tls?: ConnectionOptions;
  /** More options for a Cluster client (ignored for the other topologies). */
  cluster?: Omit<ClusterOptions, 'redisOptions'>;
}

/**
 * The one way the service opens Redis connections, for every topology of MFN_REDIS_URL (see
 * redis-topology.ts for the URL syntax). Throws RedisConfigError for a URL it cannot use.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): RedisClient {
  const target = parseRedisTarget(url);
  const { tls } = options;
  const redis = options.redis ?? {};
  switch (target.topology) {
    case 'single':
      // Explicit TLS, so an upper-case REDISS:// scheme gets it too.
      return new Redis(target.url, { ...redis, ...(tls ? { tls } : {}) });
    case 'sentinel': {
      const { sentinels, name, db, username, password, sentinelUsername, sentinelPassword } = target;
      return new Redis({
        ...redis,
        sentinels,
        name,
        db,
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
        ...(sentinelUsername ? { sentinelUsername } : {}),
        ...(sentinelPassword ? { sentinelPassword } : {}),
        // TLS to the Sentinels and to the master they name alike.
        ...(tls ? { tls, enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      });
    }
    case 'cluster': {
      const { enableOfflineQueue, retryStrategy, ...nodeOptions } = redis;
      const { nodes, username, password } = target;
      return new Cluster(nodes, {
        ...options.cluster,
        ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
        ...(retryStrategy ? { clusterRetryStrategy: (attempt: number) => retryStrategy(attempt) } : {}),
        redisOptions: {
          ...nodeOptions,
          ...(username ? { username } : {}),
          ...(password ? { password } : {}),
          ...(tls ? { tls } : {}),
        },
      });
    }
  }
}

/** The topology of a client made by createRedisClient. */
export function topologyOfClient(client: RedisClient): RedisTopology {
  if (client instanceof Cluster) return 'cluster';
  return client.options.sentinels ? 'sentinel' : 'single';
}

/**
 * The master connections that hold data: every master of a Cluster (for commands that act on one
 * node, like SCAN or PING), else the client itself.
 */
export function masterConnections(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

export { Cluster };
