import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEventsProducer } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common';
import { AppConfig, JobsConfig } from '../../config';
import { MetricsService } from '../../metrics/metrics.service';
import type { RedisClient } from '../../redis';
import { JobErrors, parseFailure } from '../job-errors';
import type { DeadLetterEntry, JobStore } from '../job-store';
import { JobPayload, JobSubmission, JobView, SubmitOutcome, TERMINAL_STATES } from '../job.types';
import { JOBS_QUEUE, closeClient, jobsKeyPrefix, storeClientFor } from './queue-connection';
import { queueErrorLogger } from './queue-error-log';

/** The custom queue event that asks whichever worker runs a job to abort it. */
export const CANCEL_EVENT = 'mfn-cancel';
/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;
const SAMPLE_INTERVAL_MS = 5_000;
/** Events kept in the queue's event stream (BullMQ trims to about this many). */
const MAX_EVENTS = 10_000;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/**
 * The job store on BullMQ: jobs are queue entries (id = a random UUID), their payload carries the
 * owning tenant, their result is the return value and their error the failure reason. Beside the
 * queue, under the same hash tag, a few keys of its own: the Idempotency-Key bindings, the set of
 * each tenant's queued jobs (its bound, and the fairness priority) and the records of jobs
 * cancelled before they started.
 *
 * Fairness: a job's priority (lower runs first) is the number of jobs its tenant has queued,
 * itself included. Tenant A's 30 queued jobs hold priorities 1..30, tenant B's single job gets 1
 * and runs right after A's first: each tenant's n-th queued job runs in the n-th round.
 */
@Injectable()
export class BullJobStore implements JobStore, OnApplicationBootstrap, OnModuleDestroy {
  private readonly config: JobsConfig;
  private readonly meta: string;
  private readonly redis: RedisClient;
  private producer?: QueueEventsProducer;
  private sampler?: NodeJS.Timeout;

  constructor(
    @InjectQueue(JOBS_QUEUE) private readonly queue: Queue<JobPayload, unknown>,
    config: AppConfig,
    private readonly metrics: MetricsService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.config = config.jobs;
    this.meta = `${jobsKeyPrefix(config.jobs)}:mfn`;
    this.redis = storeClientFor(queue.opts.connection as RedisClient);
    // Outages are reported by the requests that meet them (503 through the error filter).
    this.redis.on('error', () => undefined);
    this.queue.on('error', queueErrorLogger(logger.child({ logger: 'mfn.jobs' }), 'queue'));
  }

  onApplicationBootstrap(): void {
    this.sampler = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.sampler.unref();
  }

  private key(kind: 'idem' | 'queued' | 'cancelled' | 'cancel', id: string): string {
    return `${this.meta}:${kind}:${id}`;
  }

  async submit(submission: JobSubmission): Promise<SubmitOutcome> {
    const redis = this.redis;
    const ttl = this.config.resultTtlSeconds;
    const id = randomUUID();
    let idemKey: string | undefined;
    if (submission.idempotencyKey !== undefined) {
      idemKey = this.key('idem', digest(`${submission.tenant}\n${submission.idempotencyKey}`));
      const bound = await redis.set(idemKey, `${submission.bodyHash}:${id}`, 'EX', ttl, 'NX');
      if (bound === null) return this.earlier(idemKey, submission);
    }
    try {
      const job = await this.enqueue(id, submission);
      return { job, existing: false };
    } catch (err) {
      if (idemKey !== undefined) await redis.del(idemKey).catch(() => undefined);
      throw err;
    }
  }

  private async enqueue(id: string, submission: JobSubmission): Promise<JobView> {
    const redis = this.redis;
    const queued = this.key('queued', digest(submission.tenant));
    const replies = await redis.multi().sadd(queued, id).scard(queued).expire(queued, this.config.resultTtlSeconds).exec();
    const count = Number(replies?.[1]?.[1] ?? 0);
    if (count > this.config.maxQueuedPerTenant) {
      await redis.srem(queued, id);
      throw JobErrors.tooManyQueued(this.config.maxQueuedPerTenant, 1);
    }
    const age = this.config.resultTtlSeconds;
    const payload: JobPayload = { kind: submission.kind, tenant: submission.tenant, body: submission.body, bodyHash: submission.bodyHash };
    try {
      const job = await this.queue.add(submission.kind, payload, {
        jobId: id,
        priority: Math.min(Math.max(1, count), MAX_PRIORITY),
        attempts: this.config.attempts,
        backoff: { type: 'exponential', delay: this.config.backoffMs },
        removeOnComplete: { age },
        removeOnFail: { age },
      });
      return this.viewOf(job, 'queued');
    } catch (err) {
      await redis.srem(queued, id).catch(() => undefined);
      throw err;
    }
  }

  /** The job an earlier submission with this key made, or 409 for another body. */
  private async earlier(idemKey: string, submission: JobSubmission): Promise<SubmitOutcome> {
    const redis = this.redis;
    // The earlier request may still be adding its job: a few short waits.
    for (let attempt = 0; attempt < 20; attempt++) {
      const bound = await redis.get(idemKey);
      if (bound === null) return this.submit(submission);
      const [hash, id] = bound.split(':');
      // eslint-disable-next-line security/detect-possible-timing-attacks -- both sides are SHA-256 digests of request bodies, no secret
      if (hash !== submission.bodyHash) throw JobErrors.idempotencyConflict();
      const job = await this.get(id, submission.tenant);
      if (job !== undefined) return { job, existing: true };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw JobErrors.idempotencyConflict();
  }

  async get(id: string, tenant: string): Promise<JobView | undefined> {
    let job = await this.queue.getJob(id);
    if (job === undefined) return this.cancelledRecord(id, tenant);
    if (job.data?.tenant !== tenant) return undefined;
    let view = await this.viewOf(job);
    if (TERMINAL_STATES.has(view.state) && view.finishedAt === undefined) {
      // Finished between reading the job and reading its state: read the finished job.
      job = await this.queue.getJob(id);
      if (job === undefined) return this.cancelledRecord(id, tenant);
      view = await this.viewOf(job);
    }
    const finishedAt = view.finishedAt;
    if (TERMINAL_STATES.has(view.state) && finishedAt !== undefined && finishedAt + this.config.resultTtlSeconds * 1000 <= Date.now()) {
      await job.remove().catch(() => undefined);
      return undefined;
    }
    return view;
  }

  async cancel(id: string, tenant: string): Promise<JobView | undefined> {
    const view = await this.get(id, tenant);
    if (view === undefined || TERMINAL_STATES.has(view.state)) return view;
    const redis = this.redis;
    const ttl = this.config.resultTtlSeconds;
    if (view.state === 'queued') {
      const job = await this.queue.getJob(id);
      const removed = await job
        ?.remove()
        .then(() => true)
        .catch(() => false); // locked: a worker took it meanwhile
      if (removed === true) {
        const cancelled: JobView = { ...view, state: 'cancelled', finishedAt: Date.now() };
        await redis.set(this.key('cancelled', id), JSON.stringify(cancelled), 'EX', ttl);
        await redis.srem(this.key('queued', digest(tenant)), id);
        await this.publish(id);
        return cancelled;
      }
    }
    // Running: the worker holding it aborts it; a worker about to start it sees the marker.
    await redis.set(this.key('cancel', id), '1', 'EX', ttl);
    await this.publish(id);
    return (await this.get(id, tenant)) ?? view;
  }

  async deadLetter(limit: number): Promise<DeadLetterEntry[]> {
    const failed = await this.queue.getFailed(0, Math.max(0, limit * 2 - 1));
    const views = await Promise.all(failed.filter((job) => job !== undefined).map((job) => this.viewOf(job, 'failed')));
    return views.filter((v) => v.state === 'failed').slice(0, limit);
  }

  /** Called by the worker as a run starts: the job no longer counts as queued for its tenant. */
  async runStarted(job: Job<JobPayload>): Promise<{ cancelRequested: boolean }> {
    const redis = this.redis;
    const id = job.id ?? '';
    const replies = await redis.multi().srem(this.key('queued', digest(job.data.tenant)), id).get(this.key('cancel', id)).exec();
    return { cancelRequested: typeof replies?.[1]?.[1] === 'string' };
  }

  private async cancelledRecord(id: string, tenant: string): Promise<JobView | undefined> {
    const redis = this.redis;
    const stored = await redis.get(this.key('cancelled', id));
    if (stored === null) return undefined;
    const view = JSON.parse(stored) as JobView;
    return view.tenant === tenant ? view : undefined;
  }

  private async publish(id: string): Promise<void> {
    this.producer ??= new QueueEventsProducer(JOBS_QUEUE, { connection: this.queue.opts.connection, prefix: this.queue.opts.prefix });
    await this.producer.publishEvent({ eventName: CANCEL_EVENT, jobId: id }, MAX_EVENTS);
  }

  private async viewOf(job: Job<JobPayload, unknown>, known?: JobView['state']): Promise<JobView> {
    const raw = known ?? (await job.getState());
    const view: JobView = {
      id: job.id ?? '',
      kind: job.data.kind,
      tenant: job.data.tenant,
      state: raw === 'active' ? 'running' : raw === 'completed' ? 'completed' : raw === 'failed' ? 'failed' : 'queued',
      progress: typeof job.progress === 'number' ? job.progress : 0,
      attempts: job.attemptsStarted ?? 0,
      createdAt: job.timestamp,
      ...(job.processedOn ? { startedAt: job.processedOn } : {}),
      ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
    };
    if (view.state === 'completed') {
      view.result = job.returnvalue;
      view.progress = 100;
    } else if (view.state === 'failed') {
      const { error, cancelled } = parseFailure(job.failedReason);
      if (cancelled) view.state = 'cancelled';
      else view.error = error;
    }
    return view;
  }

  /** Queue depth by state, for the `mfn_jobs` gauge. */
  private async sample(): Promise<void> {
    try {
      const c = await this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'waiting-children', 'active', 'completed', 'failed');
      this.metrics.setJobCount('queued', (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c['waiting-children'] ?? 0));
      this.metrics.setJobCount('running', c.active ?? 0);
      this.metrics.setJobCount('completed', c.completed ?? 0);
      this.metrics.setJobCount('failed', c.failed ?? 0);
    } catch {
      // Redis unreachable: the gauge keeps its last sample
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sampler);
    await this.producer?.close().catch(() => undefined);
    await closeClient(this.redis);
  }
}

