import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { JOBS_QUEUE } from './queue-connection';

const NAME = 'jobs_queue';
/** A probe slower than this counts as down (BullMQ's connection queues commands while it reconnects). */
const PING_TIMEOUT_MS = 1_000;

/**
 * Readiness of the job queue's own Redis connection (BullMQ), registered whenever the BullMQ store
 * is in use: a `worker` has no other Redis client, so without this its /health/ready would say
 * ready while it cannot take a job. Down when the connection cannot answer one read within a second.
 */
@Injectable()
export class QueueReadinessCheck implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(JOBS_QUEUE) private readonly queue: Queue,
    private readonly registry: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.register(NAME, () => this.check());
  }

  /** One round trip on the queue's connection: a GET of an absent key in the queue's hash slot. */
  private async probe(): Promise<void> {
    const client = await this.queue.getBackend().client;
    await client.get(this.queue.toKey('readiness'));
  }

  async check(): Promise<HealthIndicatorResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([this.probe(), timeout]);
      return { [NAME]: { status: 'up', state: 'ready' } };
    } catch {
      return { [NAME]: { status: 'down', state: 'ping_failed' } };
    } finally {
      clearTimeout(timer);
    }
  }
}
