import { Module } from '@nestjs/common';
import { getStorageToken } from '@nestjs/throttler';
import { RedisModule } from '../redis/redis.module';
import { RateLimitPolicy } from './rate-limit.policy';
import { TokenBucketStorage } from './token-bucket.storage';

/**
 * Rate limiting: the token-bucket storage (memory or Redis) behind @nestjs/throttler and the
 * per-route policy. The guard (RateLimitGuard) and its throttler options join the global chain in
 * AuthModule, which fixes the order and holds the key ring the client's classification needs.
 */
@Module({
  imports: [RedisModule],
  providers: [RateLimitPolicy, TokenBucketStorage, { provide: getStorageToken(), useExisting: TokenBucketStorage }],
  exports: [RateLimitPolicy, TokenBucketStorage, getStorageToken()],
})
export class ThrottlingModule {}
