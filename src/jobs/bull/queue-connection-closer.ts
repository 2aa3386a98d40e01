import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../redis';
import { JOBS_QUEUE, closeClient } from './queue-connection';

/**
 * Closes the queue's shared connection (createQueueConnection), which BullMQ leaves open as it
 * did not make it. This runs after BullMQ's own shutdown: the queue, its workers and the global
 * Bull module are in modules deeper than the jobs module, whose hooks Nest calls first; the event
 * streams beside this provider use duplicates of their own.
 */
@Injectable()
export class QueueConnectionCloser implements OnApplicationShutdown {
  constructor(@InjectQueue(JOBS_QUEUE) private readonly queue: Queue) {}

  async onApplicationShutdown(): Promise<void> {
    await closeClient(this.queue.opts.connection as RedisClient);
  }
}
