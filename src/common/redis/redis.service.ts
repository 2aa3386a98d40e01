import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.constants';
import { SecretsService } from '../../secrets/secrets.service';

/**
 * The shared Redis connection (rate-limit buckets, crypto key store), present only when the
 * MFN_REDIS_URL secret is set. Commands fail fast while disconnected (no offline queue), so
 * callers can fall back instead of hanging; the client reconnects by itself.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnModuleDestroy {
  private redis?: Redis;
  private readonly log: Logger;

  constructor(
    private readonly secrets: SecretsService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.redis' });
  }

  onModuleInit(): void {
    const url = this.secrets.getSecret('MFN_REDIS_URL');
    if (!url) return;
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.redis.on('error', (err: Error) => this.log.debug({ error: err.name }, 'redis connection error'));
  }

  /** The client, or undefined when no Redis is configured. */
  get client(): Redis | undefined {
    return this.redis;
  }

  get configured(): boolean {
    return this.redis !== undefined;
  }

  get ready(): boolean {
    return this.redis?.status === 'ready';
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
