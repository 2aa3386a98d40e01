import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, JobsConfig } from '../../config';
import { MetricsService } from '../../metrics/metrics.service';
import { JobEventHub } from '../job-event-hub';
import { JobErrors, JobFailure } from '../job-errors';
import { JobExecutor } from '../job-executor.service';
import type { DeadLetterEntry, JobStore } from '../job-store';
import { JOB_STATES, JobState, JobSubmission, JobView, SubmitOutcome, TERMINAL_STATES } from '../job.types';
import { TenantRoundRobin } from './tenant-round-robin';

/** Jobs one process keeps at once (queued, running and finished within their TTL). */
const MAX_STORED_JOBS = 10_000;

interface MemoryJob {
  view: JobView;
  body: Record<string, unknown>;
  bodyHash: string;
  idempotency?: string;
  controller?: AbortController;
  expiry?: NodeJS.Timeout;
}

/**
 * The job store without Redis (dev, single process): jobs run on this process's compute pool,
 * at most MFN_JOBS_CONCURRENCY at once, taken from the tenants' queues in turn (round robin) so
 * one tenant's flood waits behind every other tenant's next job. Finished jobs, with their
 * idempotency keys, are forgotten after MFN_JOBS_RESULT_TTL_S. Nothing survives a restart.
 */
@Injectable()
export class MemoryJobStore implements JobStore, OnModuleDestroy {
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly idempotency = new Map<string, string>();
  private readonly queue = new TenantRoundRobin();
  private readonly config: JobsConfig;
  private running = 0;
  private closed = false;

  constructor(
    config: AppConfig,
    private readonly executor: JobExecutor,
    private readonly hub: JobEventHub,
    private readonly metrics: MetricsService,
  ) {
    this.config = config.jobs;
  }

  submit(submission: JobSubmission): Promise<SubmitOutcome> {
    const idemKey = submission.idempotencyKey === undefined ? undefined : `${submission.tenant}\n${submission.idempotencyKey}`;
    if (idemKey !== undefined) {
      const earlier = this.jobs.get(this.idempotency.get(idemKey) ?? '');
      if (earlier !== undefined) {
        if (earlier.bodyHash !== submission.bodyHash) throw JobErrors.idempotencyConflict();
        return Promise.resolve({ job: earlier.view, existing: true });
      }
    }
    if (this.queue.sizeOf(submission.tenant) >= this.config.maxQueuedPerTenant) {
      throw JobErrors.tooManyQueued(this.config.maxQueuedPerTenant, 1);
    }
    if (this.jobs.size >= MAX_STORED_JOBS || this.closed) throw JobErrors.storeFull();
    const view: JobView = {
      id: randomUUID(),
      kind: submission.kind,
      tenant: submission.tenant,
      state: 'queued',
      progress: 0,
      attempts: 0,
      createdAt: Date.now(),
    };
    this.jobs.set(view.id, { view, body: submission.body, bodyHash: submission.bodyHash, idempotency: idemKey });
    if (idemKey !== undefined) this.idempotency.set(idemKey, view.id);
    this.queue.push(view.tenant, view.id);
    this.pump();
    this.sample();
    return Promise.resolve({ job: view, existing: false });
  }

  get(id: string, tenant: string): Promise<JobView | undefined> {
    const job = this.jobs.get(id);
    return Promise.resolve(job?.view.tenant === tenant ? job.view : undefined);
  }

  cancel(id: string, tenant: string): Promise<JobView | undefined> {
    const job = this.jobs.get(id);
    if (job?.view.tenant !== tenant) return Promise.resolve(undefined);
    if (job.view.state === 'queued') {
      this.queue.remove(tenant, id);
      this.finish(job, 'cancelled');
    } else if (job.view.state === 'running') {
      job.controller?.abort();
    }
    return Promise.resolve(job.view);
  }

  deadLetter(limit: number): Promise<DeadLetterEntry[]> {
    const failed = [...this.jobs.values()].map((j) => j.view).filter((v) => v.state === 'failed');
    failed.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    return Promise.resolve(failed.slice(0, limit));
  }

  private pump(): void {
    while (!this.closed && this.running < this.config.concurrency) {
      const id = this.queue.next();
      if (id === undefined) return;
      const job = this.jobs.get(id);
      if (job !== undefined) void this.run(job);
    }
  }

  private async run(job: MemoryJob): Promise<void> {
    this.running++;
    const { view } = job;
    view.state = 'running';
    view.attempts++;
    view.startedAt = Date.now();
    this.metrics.jobStarted(view.kind, (view.startedAt - view.createdAt) / 1000, false);
    job.controller = new AbortController();
    this.hub.notify(view.id);
    try {
      view.result = await this.executor.execute(view.id, view.kind, job.body, job.controller.signal, (percent) => {
        view.progress = percent;
        this.hub.notify(view.id);
      });
      this.finish(job, 'completed');
    } catch (err) {
      const failure = err instanceof JobFailure ? err : JobFailure.cancelled();
      if (failure.cancelled) {
        this.finish(job, 'cancelled');
      } else {
        view.error = failure.error;
        this.finish(job, 'failed');
      }
    } finally {
      job.controller = undefined;
      this.running--;
      this.pump();
    }
  }

  private finish(job: MemoryJob, state: JobState): void {
    const { view } = job;
    view.state = state;
    view.finishedAt = Date.now();
    if (state === 'completed') view.progress = 100;
    if (view.startedAt !== undefined) {
      this.metrics.jobFinished(view.kind, state as 'completed', (view.finishedAt - view.startedAt) / 1000, view.error?.code);
    }
    job.expiry = setTimeout(() => this.forget(view.id), this.config.resultTtlSeconds * 1000);
    job.expiry.unref();
    this.sample();
    this.hub.notify(view.id);
  }

  private forget(id: string): void {
    const job = this.jobs.get(id);
    if (job === undefined || !TERMINAL_STATES.has(job.view.state)) return;
    this.jobs.delete(id);
    if (job.idempotency !== undefined && this.idempotency.get(job.idempotency) === id) this.idempotency.delete(job.idempotency);
    this.sample();
  }

  private sample(): void {
    const counts = new Map<JobState, number>(JOB_STATES.map((s) => [s, 0]));
    for (const { view } of this.jobs.values()) counts.set(view.state, (counts.get(view.state) ?? 0) + 1);
    for (const [state, count] of counts) this.metrics.setJobCount(state, count);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const job of this.jobs.values()) {
      job.controller?.abort();
      clearTimeout(job.expiry);
    }
  }
}
