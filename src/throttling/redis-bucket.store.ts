import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/redis-client';
import { outcomeOf, type BucketOutcome } from './token-bucket';

/**
 * Read, refill, spend and write back in one step, atomically, on Redis's own clock (TIME), so
 * every replica sees the same bucket and clock skew between pods does not matter. State is a hash
 * {tokens, ts}; the key expires once a whole window has passed (the bucket would be full again).
 * Tokens go back as a string: Redis truncates Lua numbers to integers. ARGV[3] is the number of
 * tokens the request spends (1 for the per-route buckets, the work units of a compute request
 * for the work budget); a refused request spends nothing. The stored state is the same for every
 * cost, so replicas running the former one-token script can share the keys during a rollout.
 */
export const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3]) or 1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
else
  if now < ts then now = ts end
  tokens = math.min(capacity, tokens + (now - ts) * capacity / window_ms)
end
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
local encoded = string.format('%.6f', tokens)
redis.call('HSET', KEYS[1], 'tokens', encoded, 'ts', now)
redis.call('PEXPIRE', KEYS[1], window_ms)
return {allowed, encoded}
`;

const SCRIPT_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');

/**
 * Token buckets in Redis, one key per (client, route): `<prefix>:{<client>|<route>}`. The braces
 * are a Redis Cluster hash tag; each script call touches that one key only, so it is Cluster-safe.
 * Uses EVALSHA and falls back to EVAL when the server lost its script cache (restart, failover).
 */
export class RedisBucketStore {
  constructor(
    private readonly prefix: string,
    private readonly client: () => RedisClient | undefined,
  ) {}

  keyFor(bucket: string): string {
    return `${this.prefix}:{${bucket}}`;
  }

  /** Spends `cost` tokens (validated by the caller, TokenBucketStorage) when the bucket holds that many. */
  async take(bucket: string, capacity: number, windowMs: number, cost = 1): Promise<BucketOutcome> {
    const redis = this.client();
    if (redis === undefined) throw new Error('redis not configured');
    const key = this.keyFor(bucket);
    let reply: unknown;
    try {
      reply = await redis.evalsha(SCRIPT_SHA, 1, key, capacity, windowMs, cost);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      reply = await redis.eval(TOKEN_BUCKET_SCRIPT, 1, key, capacity, windowMs, cost);
    }
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error('unexpected token bucket reply');
    const tokens = Number(reply[1]);
    if (!Number.isFinite(tokens)) throw new Error('unexpected token bucket reply');
    return outcomeOf(Number(reply[0]) === 1, tokens, capacity, windowMs, cost);
  }
}
