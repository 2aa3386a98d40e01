import { Module } from '@nestjs/common';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '../config';
import { RateLimitPolicy } from './rate-limit.policy';
import { TokenBucketStorage } from './token-bucket.storage';

/**
 * Rate limiting: the token-bucket storage (memory or Redis) behind @nestjs/throttler, the
 * per-route policy and the guard. The guard joins the global chain in AuthModule, which fixes
 * the order: rate limit → API key → roles → input scan.
 */
@Module({
  providers: [
    RateLimitPolicy,
    TokenBucketStorage,
    { provide: getStorageToken(), useExisting: TokenBucketStorage },
    {
      provide: getOptionsToken(),
      inject: [AppConfig],
      useFactory: (config: AppConfig): ThrottlerModuleOptions => ({
        // One named throttler; its limit is resolved per route by RateLimitGuard.
        throttlers: [{ name: 'default', limit: config.rateLimit.requests, ttl: config.rateLimit.windowSeconds * 1000 }],
      }),
    },
  ],
  exports: [RateLimitPolicy, TokenBucketStorage, getStorageToken(), getOptionsToken()],
})
export class ThrottlingModule {}
