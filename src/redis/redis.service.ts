import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { ROOT_LOGGER } from '../common/logging/logging.constants';
import { SecretsService } from '../secrets/secrets.service';
import { REDIS_PROBLEM_MESSAGES, RedisProblem, redisProblemOf } from './redis-connection-problem';
import { createRedisClient, masterConnections, type RedisClient } from './redis-client';
import { redisTlsOptions } from './redis-tls';
import { parseRedisTarget, type RedisTopology } from './redis-topology';
import { redactRedisUrl } from './redis-url';

/** How long a readiness PING may take on each master before the connection counts as down. */
const PING_TIMEOUT_MS = 1_000;

/**
 * The shared Redis connection (rate-limit buckets, key store, lockouts), present only when the
 * MFN_REDIS_URL secret is set. The URL carries the credentials (`redis://:password@host`,
 * `rediss://user:password@host` for an ACL user) and the scheme: `rediss://` is TLS, verified
 * against MFN_REDIS_TLS_CA_FILE when set. `redis+sentinel://` and `redis+cluster://` URLs name a
 * Sentinel-managed master or a Cluster (redis-topology.ts). Commands fail fast while disconnected
 * (no offline queue), so callers can fall back instead of hanging; the client reconnects by
 * itself, and after a Sentinel failover asks the Sentinels for the new master. The URL is only
 * ever logged with its password replaced.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnModuleDestroy {
  private redis?: RedisClient;
  private kind: RedisTopology = 'single';
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
    // Throws RedisConfigError (one line, no secret) for a malformed Sentinel/Cluster URL, an
    // unreadable CA file or TLS settings on a plain URL.
    this.kind = parseRedisTarget(url).topology;
    const tls = redisTlsOptions(url, this.config.redis);
    const target = { target: redactRedisUrl(url), topology: this.kind, tls: tls !== undefined };
    this.redis = createRedisClient(url, {
      tls,
      redis: {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        commandTimeout: 1_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      },
      // A moved slot or a failed-over shard: retry the command shortly instead of failing it.
      cluster: { retryDelayOnFailover: 200, retryDelayOnClusterDown: 200, slotsRefreshTimeout: 2_000 },
    });
    this.redis.on('error', (err: Error) => this.onError(err));
    // A Cluster reports each node's failures as 'node error'; its 'error' only the summary.
    this.redis.on('node error', (err: Error) => this.onError(err));
    this.redis.on('ready', () => {
      const recovered = this.reported !== undefined;
      if (!this.everReady || recovered) this.log.info(target, recovered ? 'Redis connection ready again' : 'Redis connection ready');
      this.everReady = true;
      this.reported = undefined;
    });
  }

  /** The client, or undefined when no Redis is configured. */
  get client(): RedisClient | undefined {
    return this.redis;
  }

  /** single, sentinel or cluster: what MFN_REDIS_URL names (single when no Redis is configured). */
  get topology(): RedisTopology {
    return this.kind;
  }

  /**
   * PINGs the data: the (current) master, or every master of a Cluster the client knows. A
   * Cluster must also report `cluster_state:ok` (every slot served): the client drops a node it
   * lost from its pool, so a shard that is down would not show in the PINGs alone, although its
   * keys fail. Rejects on the first failure.
   */
  async ping(): Promise<void> {
    const redis = this.redis;
    if (!redis) throw new Error('redis not configured');
    const masters = masterConnections(redis);
    if (masters.length === 0) throw new Error('no cluster master known');
    await Promise.all(masters.map((node) => withTimeout(node.ping(), PING_TIMEOUT_MS)));
    if (this.kind === 'cluster') {
      const info = await withTimeout(redis.call('CLUSTER', 'INFO'), PING_TIMEOUT_MS);
      if (typeof info !== 'string' || !/^cluster_state:ok\r?$/m.test(info)) throw new Error('cluster state not ok');
    }
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('ping timed out')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
