import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { AppException, ErrorCode, ROOT_LOGGER, describeError } from '../common';
import { AppConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { traceComputeTask } from '../tracing/compute-span';
import { MetricsService } from '../metrics/metrics.service';
import { ComputeErrors } from './compute-errors';
import { COMPUTE_HANDLER_NAME, ComputeProgress, ComputeTask, ComputeTaskKind, ComputeTaskResult, ProgressPortMessage } from './compute-task';

const WORKER_FILE = 'compute.worker.js';
/** Per-thread heap cap: a runaway task kills its own thread (500), not the process. */
const WORKER_HEAP_MB = 256;
const RETRY_AFTER_MIN_S = 1;
const RETRY_AFTER_MAX_S = 60;

/**
 * The compiled worker: beside this module when running from dist/, else under
 * <project root>/dist/simulation/ (tests run this module from the TypeScript sources).
 */
export function resolveWorkerFile(moduleDir: string = __dirname): string {
  const candidates = [join(moduleDir, WORKER_FILE), resolve(moduleDir, '..', '..', 'dist', 'simulation', WORKER_FILE)];
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- both candidates are this module's directory joined with the fixed WORKER_FILE name
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(`Compute worker script ${WORKER_FILE} not found (looked beside the pool module and in dist/simulation): run npm run build`);
  }
  return found;
}

/** Why a task was cancelled: the client went away (the deadline has its own signal). */
export class ClientDisconnectedError extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientDisconnectedError';
  }
}

export interface ComputeRunOptions {
  /** Aborted when the client disconnects: a queued task is dropped, a running one's thread is replaced. */
  signal?: AbortSignal;
  /** Request id for the pool's log lines. */
  requestId?: string;
  transferList?: ArrayBuffer[];
  /**
   * Progress channel: called on the event loop with each ComputeProgress the task reports
   * (compute-task.ts), in order; every report is delivered before run() resolves. Only tasks that
   * report progress (`simulate`) call it. A throwing listener does not affect the task.
   */
  onProgress?: (progress: ComputeProgress) => void;
}

/** A MessageChannel whose far end travels with the task; `ended` resolves once the worker posted `end`. */
function progressChannel(onProgress: (progress: ComputeProgress) => void): { port: MessageChannel['port2']; ended: Promise<void>; close(): void } {
  const channel = new MessageChannel();
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  channel.port1.on('message', (message: ProgressPortMessage) => {
    if (message.type === 'end') {
      markEnded();
      return;
    }
    try {
      onProgress(message.progress);
    } catch {
      // The listener's failure is its own; the task goes on.
    }
  });
  return { port: channel.port2, ended, close: () => channel.port1.close() };
}

/**
 * Owns the worker-thread pool that runs every iterative computation off the event loop:
 * admission against a bounded queue (503 + Retry-After when full; the per-caller limits in front
 * of it are ComputeAdmissionService's), a per-request deadline
 * (504, task cancelled), cancellation on client disconnect, failure mapping (500
 * COMPUTATION_FAILED; piscina replaces a dead thread), metrics and the `compute_pool`
 * readiness check.
 */
@Injectable()
export class ComputePoolService implements OnModuleDestroy {
  private readonly pool: Piscina<ComputeTask, ComputeTaskResult>;
  private readonly log: Logger;
  private readonly workers: number;
  private readonly timeoutMs: number;
  private readonly capacity: number;
  private pending = 0;
  private destroyed = false;
  /** Smoothed task run time, for Retry-After. */
  private averageSeconds = 0.5;

  constructor(
    config: AppConfig,
    private readonly metrics: MetricsService,
    readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.compute' });
    this.workers = config.compute.workers;
    this.timeoutMs = config.compute.timeoutMs;
    this.capacity = config.compute.workers + config.compute.queueMax;
    this.pool = new Piscina<ComputeTask, ComputeTaskResult>({
      filename: resolveWorkerFile(),
      name: COMPUTE_HANDLER_NAME,
      minThreads: config.compute.workers,
      maxThreads: config.compute.workers,
      maxQueue: config.compute.queueMax,
      idleTimeout: Infinity,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    // Without a listener a worker failure outside any task would crash the process.
    this.pool.on('error', (err: unknown) => this.log.error({ error: describeError(err) }, 'compute worker failed outside a task'));
    readiness.register('compute_pool', () => this.readiness());
  }

  /** Live worker threads (for diagnostics; tests use it to kill a thread mid-task). */
  threads(): readonly Worker[] {
    return this.pool.threads;
  }

  /** Tasks waiting for a thread. */
  get queued(): number {
    return this.pool.queueSize;
  }

  /** Tasks accepted and not yet settled (running or queued). */
  get inFlight(): number {
    return this.pending;
  }

  /** Smoothed run time of recent tasks, in seconds. */
  get averageRunSeconds(): number {
    return this.averageSeconds;
  }

  /**
   * Throws what run() would answer when no task could be accepted now: 503 while shutting down
   * or while `occupied` (at least the tasks in flight; admission also counts the requests it has
   * let through and not yet handed over) fills the capacity.
   */
  assertRoom(occupied = this.pending): void {
    if (this.destroyed) throw ComputeErrors.shuttingDown(RETRY_AFTER_MIN_S);
    if (Math.max(occupied, this.pending) >= this.capacity) {
      this.metrics.computeRejected('queue_full');
      throw ComputeErrors.queueFull(this.retryAfterSeconds());
    }
  }

  /**
   * Runs a task on a worker thread. Rejects with the envelope's AppException: 503 when the queue
   * is full, 504 at the deadline, 499 after a client disconnect, 500 when the task failed.
   */
  async run<K extends ComputeTaskKind>(task: ComputeTask & { kind: K }, options: ComputeRunOptions = {}): Promise<ComputeTaskResult<K>> {
    this.assertRoom();
    return traceComputeTask(task.kind, (traceparent) =>
      this.runTask<K>(traceparent === undefined ? task : ({ ...task, traceparent } as ComputeTask & { kind: K }), options),
    );
  }

  private async runTask<K extends ComputeTaskKind>(task: ComputeTask & { kind: K }, options: ComputeRunOptions): Promise<ComputeTaskResult<K>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    this.pending++;
    const progress = options.onProgress && task.kind === 'simulate' ? progressChannel(options.onProgress) : undefined;
    try {
      const sent = progress ? { ...task, progressPort: progress.port } : task;
      const transferList = progress ? [...(options.transferList ?? []), progress.port] : options.transferList;
      const promise = this.pool.run(sent, { signal, transferList });
      this.metrics.setComputeQueueDepth(this.pool.queueSize);
      const result = (await promise) as ComputeTaskResult<K>;
      // The result and the progress travel on different ports: wait for the worker's `end`.
      if (progress) await progress.ended;
      this.metrics.computeTaskFinished(task.kind, result.seconds);
      this.averageSeconds = 0.8 * this.averageSeconds + 0.2 * result.seconds;
      return result;
    } catch (err) {
      throw this.failure(err, task.kind, options.requestId, deadline.signal.aborted, options.signal?.aborted === true);
    } finally {
      progress?.close();
      clearTimeout(timer);
      this.pending--;
      this.metrics.setComputeQueueDepth(this.pool.queueSize);
    }
  }

  private failure(err: unknown, kind: ComputeTaskKind, requestId: string | undefined, timedOut: boolean, clientGone: boolean): AppException {
    const log = requestId ? this.log.child({ request_id: requestId }) : this.log;
    if (timedOut) {
      this.metrics.computeRejected('timeout');
      log.warn({ kind, timeout_ms: this.timeoutMs }, 'compute task cancelled at its deadline');
      return ComputeErrors.deadline(this.timeoutMs);
    }
    if (clientGone) {
      this.metrics.computeRejected('cancelled');
      log.info({ kind }, 'compute task cancelled: client disconnected');
      // Nobody reads this response; 499 (client closed request) keeps access logs and metrics honest.
      return new AppException(ErrorCode.INVALID_REQUEST, 'The client closed the request', 499);
    }
    if (err instanceof Error && err.message === 'Task queue is at limit') {
      this.metrics.computeRejected('queue_full');
      return ComputeErrors.queueFull(this.retryAfterSeconds());
    }
    if (this.destroyed) return ComputeErrors.shuttingDown(RETRY_AFTER_MIN_S);
    this.metrics.computeRejected('worker_error');
    log.error({ kind, error: describeError(err) }, 'compute task failed');
    return ComputeErrors.failed();
  }

  /** Seconds until a slot is likely free: queued work spread over the threads, at least 1. */
  private retryAfterSeconds(): number {
    const waiting = Math.max(1, this.pending - this.workers + 1);
    const estimate = Math.ceil((this.averageSeconds * waiting) / this.workers);
    return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, estimate));
  }

  /**
   * Down while shutting down, without a live thread, or saturated (every admission slot taken:
   * the next request would get 503), so a load balancer sends new work to other replicas.
   */
  private readiness(): HealthIndicatorResult {
    const threads = this.pool.threads.length;
    const saturated = this.pending >= this.capacity;
    const state = this.destroyed ? 'shutting_down' : threads === 0 ? 'no_threads' : saturated ? 'saturated' : undefined;
    const details = {
      threads,
      configured: this.workers,
      capacity: this.capacity,
      queued: this.pool.queueSize,
      in_flight: this.pending,
      saturated,
    };
    return { compute_pool: state === undefined ? { status: 'up', ...details } : { status: 'down', state, ...details } };
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    await this.pool.destroy();
  }
}
