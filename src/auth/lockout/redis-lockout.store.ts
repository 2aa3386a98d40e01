import { createHash } from 'node:crypto';
import type { RedisClient } from '../../redis/redis-client';
import type { FailureOutcome, LockoutPolicy, LockoutStore } from './lockout-store';

/**
 * One failed authentication, atomically: nothing is counted while the lock key exists; else the
 * count goes up (its expiry — the window — is set when the window opens); at the threshold the
 * lock key is set with PX and the count deleted. Only the call that sets the lock returns 1, so
 * exactly one replica reports each lock. KEYS[1] = count, KEYS[2] = lock; ARGV = threshold,
 * window ms, lock ms. Reply: {locked_now, failures}.
 */
export const RECORD_FAILURE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {0, 0}
end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], failures, 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {1, failures}
end
return {0, failures}
`;

const RECORD_FAILURE_SHA = createHash('sha1').update(RECORD_FAILURE_SCRIPT).digest('hex');

/**
 * Failure counts and locks in Redis, shared by every replica. Per address two keys,
 * `<prefix>:{<address>}:failures` and `<prefix>:{<address>}:lock`: the braces are a Redis Cluster
 * hash tag, so both land in one slot and the script may touch them together. The lock is read
 * with one PTTL. Scripts run by EVALSHA, with EVAL when the server lost its script cache.
 * Errors are thrown; SharedLockoutStore decides what to do about them.
 */
export class RedisLockoutStore implements LockoutStore {
  constructor(
    private readonly prefix: string,
    private readonly client: () => RedisClient | undefined,
  ) {}

  keysFor(address: string): { failures: string; lock: string } {
    const tag = `${this.prefix}:{${address}}`;
    return { failures: `${tag}:failures`, lock: `${tag}:lock` };
  }

  async lockRemainingMs(address: string): Promise<number> {
    const ttl = await this.redis().pttl(this.keysFor(address).lock);
    // -2: no lock; -1 (a lock without expiry) cannot be written by the script: not a lock of ours.
    return ttl > 0 ? ttl : 0;
  }

  async recordFailure(address: string, policy: LockoutPolicy): Promise<FailureOutcome> {
    const redis = this.redis();
    const { failures, lock } = this.keysFor(address);
    const args = [policy.maxFailures, policy.windowMs, policy.lockMs];
    let reply: unknown;
    try {
      reply = await redis.evalsha(RECORD_FAILURE_SHA, 2, failures, lock, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      reply = await redis.eval(RECORD_FAILURE_SCRIPT, 2, failures, lock, ...args);
    }
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error('unexpected lockout reply');
    const count = Number(reply[1]);
    if (!Number.isSafeInteger(count)) throw new Error('unexpected lockout reply');
    return { failures: count, lockedNow: Number(reply[0]) === 1 };
  }

  private redis(): RedisClient {
    const redis = this.client();
    if (redis === undefined) throw new Error('redis not configured');
    return redis;
  }
}
