import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { AppException, ROOT_LOGGER } from '../common';
import { RedisService } from '../redis/redis.service';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryBucketStore } from './memory-bucket.store';
import { RedisBucketStore } from './redis-bucket.store';
import { checkCost, type BucketOutcome } from './token-bucket';

/** After a failed Redis call, requests skip Redis this long before one of them probes it again. */
const PROBE_INTERVAL_MS = 1_000;
/** How long start-up waits for the first Redis connection before serving from the fallback. */
const CONNECT_WAIT_MS = 2_000;

export type BucketBackend = 'memory' | 'redis';
/** The throttler of the public routes (probes, scrape): its buckets never wait for or depend on Redis. */
export const PUBLIC_THROTTLER = 'public';
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The @nestjs/throttler storage, as token buckets (`ttl` = the window, `limit` = the capacity);
 * `increment()` maps a bucket's outcome onto the ThrottlerStorage record (docs/security.md,
 * "Rate limiting"), `take()` spends any cost (the compute work budget). In memory by default; in
 * Redis when MFN_REDIS_URL is set (or MFN_RATE_LIMIT_BACKEND=redis), so every replica spends from
 * one budget; the `public` throttler's buckets always stay in this process.
 *
 * Redis outage: with MFN_RATE_LIMIT_FAIL_OPEN=true (default) requests are served from the
 * in-memory buckets (per replica) — one WARNING per outage, the `mfn_redis_fallback_active`
 * gauge at 1 — and Redis is probed again at most once a second, so service returns to the shared
 * buckets by itself. With fail-open off the request gets 503 SERVICE_UNAVAILABLE instead.
 */
@Injectable()
export class TokenBucketStorage implements ThrottlerStorage, OnApplicationBootstrap {
  private mode: BucketBackend = 'memory';
  private readonly memory = new MemoryBucketStore();
  private readonly shared: RedisBucketStore;
  private outage = false;
  private probeAt = 0;
  private readonly log: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.ratelimit' });
    this.shared = new RedisBucketStore(config.rateLimit.keyPrefix, () => this.redis.client);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { enabled, backend, failOpen } = this.config.rateLimit;
    if (!enabled) return;
    if (backend === 'redis' && !this.redis.configured) {
      throw new Error('MFN_RATE_LIMIT_BACKEND=redis needs a Redis URL (the MFN_REDIS_URL secret)');
    }
    this.mode = backend === 'memory' || !this.redis.configured ? 'memory' : 'redis';
    if (this.mode === 'redis') {
      this.metrics.setRedisFallback('rate_limit', false);
      const ready = await this.redis.waitUntilReady(CONNECT_WAIT_MS);
      if (!ready) this.enterOutage(undefined);
    }
    this.log.info({ backend: this.mode, fail_open: failOpen }, 'rate limiting enabled');
  }

  get backend(): BucketBackend {
    return this.mode;
  }

  /** Spends one token; the record's fields as docs/security.md maps them ("Rate limiting"). */
  async increment(key: string, ttl: number, limit: number, _blockDuration?: number, throttlerName?: string): Promise<ThrottlerStorageRecord> {
    const outcome = await this.take(key, limit, ttl, throttlerName === PUBLIC_THROTTLER);
    return {
      totalHits: outcome.allowed ? limit - outcome.remaining : limit + 1,
      timeToExpire: outcome.resetSeconds,
      isBlocked: !outcome.allowed,
      timeToBlockExpire: outcome.retryAfterSeconds,
    };
  }

  /**
   * Spends `cost` tokens (default one) of `key`'s bucket (capacity `limit`, refilled over
   * `windowMs`). In-process buckets answer synchronously (no promise on the hot path); shared
   * ones return a promise. `local` buckets always live in this process: the probes and the
   * scrape route must keep answering (and must not cost a Redis round trip) whatever state Redis
   * is in.
   */
  take(key: string, limit: number, windowMs: number, local = false, cost = 1): BucketOutcome | Promise<BucketOutcome> {
    // Checked here, before the Redis call, so a bad cost is never mistaken for a Redis outage.
    if (cost !== 1) checkCost(cost);
    if (local || this.mode === 'memory') return this.memory.take(key, limit, windowMs, cost);
    return this.takeShared(key, limit, windowMs, cost);
  }

  private async takeShared(key: string, limit: number, windowMs: number, cost: number): Promise<BucketOutcome> {
    if (this.redis.ready && (!this.outage || Date.now() >= this.probeAt)) {
      try {
        const outcome = await this.shared.take(key, limit, windowMs, cost);
        if (this.outage) this.leaveOutage();
        return outcome;
      } catch (err) {
        this.enterOutage(err);
      }
    } else if (!this.outage) {
      this.enterOutage(undefined);
    }
    if (!this.config.rateLimit.failOpen) {
      throw AppException.unavailable('Rate limiting is temporarily unavailable; retry shortly', 1);
    }
    return this.memory.take(key, limit, windowMs, cost);
  }

  private enterOutage(err: unknown): void {
    this.probeAt = Date.now() + PROBE_INTERVAL_MS;
    if (this.outage) return;
    this.outage = true;
    const failOpen = this.config.rateLimit.failOpen;
    if (failOpen) this.metrics.setRedisFallback('rate_limit', true);
    this.log.warn(
      { error: err instanceof Error ? err.name : (this.redis.problem ?? 'not_connected'), fail_open: failOpen },
      failOpen
        ? 'Redis unreachable: rate limiting continues on in-memory buckets (per replica) until it is back'
        : 'Redis unreachable: requests are refused with 503 until it is back (MFN_RATE_LIMIT_FAIL_OPEN=false)',
    );
  }

  private leaveOutage(): void {
    this.outage = false;
    this.metrics.setRedisFallback('rate_limit', false);
    this.log.info('Redis reachable again: rate limiting is back on shared buckets');
  }
}
