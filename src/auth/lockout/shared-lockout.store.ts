import type { Logger } from 'pino';
import type { RedisService } from '../../redis/redis.service';
import type { MetricsService } from '../../metrics/metrics.service';
import type { FailureOutcome, LockoutPolicy, LockoutStore } from './lockout-store';
import { MemoryLockoutStore } from './memory-lockout.store';
import { RedisLockoutStore } from './redis-lockout.store';

/** After a failed Redis call, calls skip Redis this long before one of them tries it again. */
const PROBE_INTERVAL_MS = 1_000;
/** The `component` label of mfn_redis_fallback_active. */
export const LOCKOUT_FALLBACK_COMPONENT = 'auth_lockout';

/**
 * The store the service runs on: Redis when a Redis URL is configured (every replica sees the
 * same counts and locks), process memory otherwise. Whether Redis is configured is only known
 * once the secrets are loaded, after the providers are built, so the choice is made per call.
 *
 * A Redis error never fails the request: that call is answered from memory (per replica), one
 * WARNING is logged per outage, the `mfn_redis_fallback_active{component="auth_lockout"}` gauge
 * is 1, and Redis is tried again at most once a second. Locks set in memory during an outage keep
 * holding after Redis is back (the check consults both).
 */
export class SharedLockoutStore implements LockoutStore {
  private outage = false;
  private probeAt = 0;

  constructor(
    private readonly redis: RedisService,
    private readonly shared: RedisLockoutStore,
    private readonly memory: MemoryLockoutStore,
    private readonly metrics: MetricsService,
    private readonly log: Logger,
  ) {}

  /** True while Redis is configured but unreachable. */
  get degraded(): boolean {
    return this.outage;
  }

  lockRemainingMs(address: string): number | Promise<number> {
    const local = this.memory.lockRemainingMs(address);
    if (!this.redis.configured) return local;
    return this.viaRedis(
      async () => Math.max(local, await this.shared.lockRemainingMs(address)),
      () => local,
    );
  }

  recordFailure(address: string, policy: LockoutPolicy): FailureOutcome | Promise<FailureOutcome> {
    if (!this.redis.configured) return this.memory.recordFailure(address, policy);
    return this.viaRedis(
      () => this.shared.recordFailure(address, policy),
      () => this.memory.recordFailure(address, policy),
    );
  }

  private async viaRedis<T>(call: () => Promise<T>, fallback: () => T): Promise<T> {
    if (this.redis.ready && (!this.outage || Date.now() >= this.probeAt)) {
      try {
        const result = await call();
        if (this.outage) this.leaveOutage();
        return result;
      } catch (err) {
        this.enterOutage(err);
      }
    } else if (!this.outage) {
      this.enterOutage(undefined);
    }
    return fallback();
  }

  private enterOutage(err: unknown): void {
    this.probeAt = Date.now() + PROBE_INTERVAL_MS;
    if (this.outage) return;
    this.outage = true;
    this.metrics.setRedisFallback(LOCKOUT_FALLBACK_COMPONENT, true);
    this.log.warn(
      { error: err instanceof Error ? err.name : 'not_connected' },
      'Lockout store on memory: Redis unreachable, failed authentications are counted per replica until it is back',
    );
  }

  private leaveOutage(): void {
    this.outage = false;
    this.metrics.setRedisFallback(LOCKOUT_FALLBACK_COMPONENT, false);
    this.log.info('Lockout store back on Redis: lockouts are shared by the replicas again');
  }
}
