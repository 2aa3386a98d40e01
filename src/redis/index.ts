/**
 * What other modules use to reach Redis: the factory for a connection of their own (a queue
 * needs options of its own, e.g. `maxRetriesPerRequest: null`) and the URL helpers.
 */
export { createRedisClient, masterConnections, topologyOfClient } from './redis-client';
export type { RedisClient, RedisClientOptions } from './redis-client';
export { RedisConfigError } from './redis-config-error';
export { parseRedisTarget, topologyOf } from './redis-topology';
export type { RedisTarget, RedisTopology } from './redis-topology';
export { redactRedisUrl, usesTls } from './redis-url';
