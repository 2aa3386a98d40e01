import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { ROOT_LOGGER } from '../common/logging/logging.constants';
import { SecretsService } from '../secrets/secrets.service';
import { REDIS_PROBLEM_MESSAGES, RedisProblem, redisProblemOf } from './redis-connection-problem';
import { redisTlsOptions } from './redis-tls';
import { redactRedisUrl } from './redis-url';

/**
 * The shared Redis connection (rate-limit buckets, key store, lockouts), present only when the
 * MFN_REDIS_URL secret is set. The URL carries the credentials (`redis://:password@host`,
 * `rediss://user:password@host` for an ACL user) and the scheme: `rediss://` is TLS, verified
 * against MFN_REDIS_TLS_CA_FILE when set. Commands fail fast while disconnected (no offline
 * queue), so callers can fall back instead of hanging; the client reconnects by itself. The URL
 * is only ever logged with its password replaced.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnModuleDestroy {
  private redis?: Redis;
  private readonly log: Logger;
  /** The credential or certificate problem last reported, until the connection is ready again. */
  private reported?: RedisProblem;
  private everReady = false;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.redis' });
  }

  onModuleInit(): void {
    const url = this.secrets.getSecret('MFN_REDIS_URL')?.trim();
    if (!url) {
      if (this.config.redis.tlsCaFile || this.config.redis.tlsServername) {
        this.log.warn('MFN_REDIS_TLS_* set without MFN_REDIS_URL: ignored, no Redis is used');
      }
      return;
    }
    // Throws RedisConfigError (one line, no secret) for an unreadable CA file or TLS settings on a plain URL.
    const tls = redisTlsOptions(url, this.config.redis);
    const target = { target: redactRedisUrl(url), tls: tls !== undefined };
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      // Explicit, so an upper-case REDISS:// scheme gets TLS too; never absent for rediss://.
      ...(tls ? { tls } : {}),
    });
    this.redis.on('error', (err: Error) => this.onError(err));
    this.redis.on('ready', () => {
      const recovered = this.reported !== undefined;
      if (!this.everReady || recovered) this.log.info(target, recovered ? 'Redis connection ready again' : 'Redis connection ready');
      this.everReady = true;
      this.reported = undefined;
    });
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

  /** Why the connection cannot come up when it is something to fix (credentials, certificate), else undefined. */
  get problem(): RedisProblem | undefined {
    return this.reported;
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

  /**
   * Errors repeat on every reconnect attempt; plain outages are reported once by the users of the
   * connection. A wrong password or an untrusted certificate will not fix itself, so it gets one
   * WARNING of its own (again only if it changes or comes back after a ready connection). Only the
   * error's name and code are logged: the client's messages may quote the server's reply.
   */
  private onError(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    this.log.debug({ error: String(err.name), ...(typeof code === 'string' ? { code } : {}) }, 'redis connection error');
    const problem = redisProblemOf(err);
    if (problem === undefined || problem === this.reported) return;
    this.reported = problem;
    // eslint-disable-next-line security/detect-object-injection -- `problem` is a RedisProblem and the table a Record over that closed union
    this.log.warn({ reason: problem, ...(typeof code === 'string' ? { code } : {}) }, REDIS_PROBLEM_MESSAGES[problem]);
  }
}
