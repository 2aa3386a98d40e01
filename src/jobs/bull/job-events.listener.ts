import { QueueEventsHost, QueueEventsListener } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common';
import { JobEventHub } from '../job-event-hub';
import { CANCEL_EVENT } from './bull-job-store';
import { quietConnectionErrors } from './connection-errors';
import { JobCanceller } from './jobs.processor';
import { JOBS_QUEUE } from './queue-connection';

/** Queue events that change what GET /jobs/{id} answers. */
const CHANGES = ['active', 'progress', 'completed', 'failed', 'removed', 'waiting', 'delayed'] as const;

/**
 * The queue's event stream in this process: every change of a job wakes its SSE streams here
 * (JobEventHub), and a cancellation request reaches the run if this process holds it.
 */
@Injectable()
@QueueEventsListener(JOBS_QUEUE)
export class JobEventsListener extends QueueEventsHost implements OnApplicationBootstrap {
  constructor(
    private readonly hub: JobEventHub,
    private readonly canceller: JobCanceller,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // QueueEvents is an EventEmitter; the cancel event is a custom one outside its typed names.
    const events = this.queueEvents as unknown as NodeJS.EventEmitter;
    quietConnectionErrors(events, this.logger.child({ logger: 'mfn.jobs' }), 'queue_events');
    for (const name of CHANGES) events.on(name, (args: { jobId?: string }) => this.changed(args.jobId));
    events.on(CANCEL_EVENT, (args: { jobId?: string }) => {
      if (typeof args.jobId === 'string') this.canceller.cancel(args.jobId);
      this.changed(args.jobId);
    });
  }

  private changed(id: unknown): void {
    if (typeof id === 'string') this.hub.notify(id);
  }
}
