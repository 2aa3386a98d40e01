import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { ErrorCode, ROOT_LOGGER } from '../../common';
import type { JobsConfig } from '../../config';
import { MetricsService } from '../../metrics/metrics.service';
import { JobFailure } from '../job-errors';
import { JobExecutor } from '../job-executor.service';
import type { JobPayload } from '../job.types';
import { BullJobStore } from './bull-job-store';
import { quietConnectionErrors } from './connection-errors';
import { JOBS_QUEUE } from './queue-connection';

/**
 * Reaches the runs this process holds: the processor registers here, the queue-events listener
 * forwards cancellation requests (a no-op for jobs this process does not hold, or without a
 * processor). Not an alias provider of the processor: @nestjs/bullmq would start a second worker
 * for the alias.
 */
@Injectable()
export class JobCanceller {
  private target?: { cancel(id: string): void };

  attach(target: { cancel(id: string): void }): void {
    this.target = target;
  }

  cancel(id: string): void {
    this.target?.cancel(id);
  }
}

/**
 * The worker side: consumes the queue and runs each job on this process's compute pool. A final
 * failure (non-finite result, deadline, cancellation, oversized result) is an UnrecoverableError,
 * never retried; a lost worker thread is retried with exponential backoff while attempts remain.
 * A process that dies mid-run loses its lock: BullMQ's stalled-job check in another worker puts
 * the job back in the queue, and that worker runs it.
 */
@Injectable()
export class JobsProcessorHost extends WorkerHost implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly executor: JobExecutor,
    private readonly store: BullJobStore,
    private readonly metrics: MetricsService,
    canceller: JobCanceller,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.log = logger.child({ logger: 'mfn.jobs' });
    canceller.attach(this);
  }

  onApplicationBootstrap(): void {
    quietConnectionErrors(this.worker, this.log, 'worker');
  }

  cancel(id: string): void {
    this.worker.cancelJob(id, 'cancelled');
  }

  async process(job: Job<JobPayload>, _token?: string, signal?: AbortSignal): Promise<unknown> {
    const { kind } = job.data;
    const started = Date.now();
    const { cancelRequested } = await this.store.runStarted(job);
    this.metrics.jobStarted(kind, (started - job.timestamp) / 1000, job.attemptsStarted > 1);
    this.log.info({ job_id: job.id, kind, attempt: job.attemptsStarted }, 'job run started');
    const controller = new AbortController();
    if (cancelRequested) controller.abort();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const runSeconds = () => (Date.now() - started) / 1000;
    try {
      const result = await this.executor.execute(job.id ?? '', kind, job.data.body, controller.signal, (percent) => job.updateProgress(percent));
      this.metrics.jobFinished(kind, 'completed', runSeconds());
      this.log.info({ job_id: job.id, kind, attempt: job.attemptsStarted }, 'job completed');
      return result;
    } catch (err) {
      const failure =
        err instanceof JobFailure ? err : new JobFailure({ code: ErrorCode.COMPUTATION_FAILED, message: 'The computation failed' }, true);
      const last = !failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = failure.cancelled ? 'cancelled' : last ? 'failed' : 'retry';
      this.metrics.jobFinished(kind, outcome, runSeconds(), failure.error.code);
      this.log.info({ job_id: job.id, kind, outcome, code: failure.error.code, attempt: job.attemptsStarted }, 'job run ended without a result');
      if (!failure.retryable) throw new UnrecoverableError(failure.serialize());
      throw new Error(failure.serialize(), { cause: err });
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }
}

/**
 * The processor class for this configuration: worker options are decorator metadata in
 * @nestjs/bullmq, so each configuration gets its own decorated subclass. The lock lasts one
 * stalled interval (renewed at half of it while the run goes on), so a killed worker's job is
 * taken over within about two intervals.
 */
export function jobsProcessorFor(config: JobsConfig): Type<JobsProcessorHost> {
  @Processor(JOBS_QUEUE, {
    concurrency: config.concurrency,
    lockDuration: config.stalledIntervalMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: Math.max(1, config.attempts - 1),
  })
  class JobsProcessor extends JobsProcessorHost {}
  return JobsProcessor;
}
