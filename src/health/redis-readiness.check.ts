import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { RedisService } from '../redis/redis.service';
import { ReadinessRegistry } from './readiness.registry';

/**
 * Readiness of the shared Redis (rate-limit buckets, lockouts, key store), registered only when
 * Redis is configured. A pod whose connection is down, or whose PING fails within a second,
 * reports not ready. With a Sentinel URL the PING goes to the current master; with a Cluster URL
 * to every master, and the Cluster must report `cluster_state:ok`, so one shard down is not ready
 * either (its keys would fail). Liveness never runs this.
 */
@Injectable()
export class RedisReadinessCheck implements OnApplicationBootstrap {
  constructor(
    private readonly redis: RedisService,
    private readonly registry: ReadinessRegistry,
    private readonly indicators: HealthIndicatorService,
  ) {}

  // After every onModuleInit: the connection exists only once RedisService has read its secret.
  onApplicationBootstrap(): void {
    if (this.redis.configured) this.registry.register('redis', () => this.check());
  }

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    const client = this.redis.client;
    // A refused password or untrusted certificate says more than the connection state it causes.
    if (!client || !this.redis.ready) return session.down({ state: this.redis.problem ?? client?.status ?? 'not_connected' });
    try {
      await this.redis.ping();
      return session.up({ state: 'ready' });
    } catch {
      return session.down({ state: 'ping_failed' });
    }
  }
}
