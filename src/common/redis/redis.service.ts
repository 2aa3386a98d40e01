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
    // Errors repeat on every reconnect attempt; the users of the connection report outages once.
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

  /**
   * Resolves true once the connection is ready, false after `timeoutMs` (or at once when no Redis
   * is configured). Start-up uses it so the first requests do not race the initial connect.
   */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    const redis = this.redis;
    if (!redis) return Promise.resolve(false);
    if (redis.status === 'ready') return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      redis.on('ready', onReady);
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis) return;
    // QUIT only makes sense on a live connection; otherwise stop reconnecting at once, so a
    // shutdown during a Redis outage does not wait for the retry timer.
    if (this.redis.status !== 'ready') {
      this.redis.disconnect(false);
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect(false);
    }
  }
}
