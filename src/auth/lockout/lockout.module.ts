import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common';
import { RedisModule } from '../../redis/redis.module';
import { RedisService } from '../../redis/redis.service';
import { AppConfig } from '../../config';
import { MetricsService } from '../../metrics/metrics.service';
import { LOCKOUT_STORE, type LockoutStore } from './lockout-store';
import { LockoutService } from './lockout.service';
import { MemoryLockoutStore } from './memory-lockout.store';
import { RedisLockoutStore } from './redis-lockout.store';
import { SharedLockoutStore } from './shared-lockout.store';

/** Redis keys live next to the rate-limit buckets: `<MFN_RATE_LIMIT_KEY_PREFIX>:lockout:{<address>}:…`. */
export function lockoutKeyPrefix(config: AppConfig): string {
  return `${config.rateLimit.keyPrefix}:lockout`;
}

export function createLockoutStore(config: AppConfig, redis: RedisService, metrics: MetricsService, root: Logger): LockoutStore {
  return new SharedLockoutStore(
    redis,
    new RedisLockoutStore(lockoutKeyPrefix(config), () => redis.client),
    new MemoryLockoutStore(),
    metrics,
    root.child({ logger: 'mfn.auth.lockout' }),
  );
}

/**
 * Brute-force lockout: the store (LOCKOUT_STORE, replaceable with overrideProvider in tests) and
 * the service, consulted by two guards: ApiKeyGuard (global chain, AuthModule) and
 * MetricsTokenGuard (scrape route, PrometheusScrapeModule).
 */
@Module({
  imports: [RedisModule, AuditModule],
  providers: [
    { provide: LOCKOUT_STORE, useFactory: createLockoutStore, inject: [AppConfig, RedisService, MetricsService, ROOT_LOGGER] },
    LockoutService,
  ],
  exports: [LockoutService],
})
export class LockoutModule {}
