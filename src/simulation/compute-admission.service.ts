import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { TokenBucketStorage } from '../throttling/token-bucket.storage';
import type { BucketOutcome } from '../throttling/token-bucket';
import type { ComputeRequestContext } from './client-abort.decorator';
import { workCostOf } from './compute-cost';
import { ComputePoolService, type ComputeRunOptions } from './compute-pool.service';
import { ComputeShare } from './compute-share';
import type { ComputeTask, ComputeTaskKind, ComputeTaskResult } from './compute-task';

const ROUTE_OF: Readonly<Record<ComputeTaskKind, string>> = {
  simulate: '/simulate',
  validate: '/validate',
  aggregate: '/federated/aggregate',
};
const RETRY_AFTER_MIN_S = 1;
const RETRY_AFTER_MAX_S = 60;

/**
 * Fair admission to the compute pool, so one caller cannot starve the others (docs/security.md,
 * "Fair compute"). Before a task reaches ComputePoolService.run, in this order:
 *
 * 1. the caller's share: at most MFN_COMPUTE_MAX_PER_KEY tasks running or queued per caller,
 *    else 429 (the caller's own limit, while other callers are still served);
 * 2. the pool's capacity: workers + queue for everyone together, else the global 503;
 * 3. the caller's work budget (with rate limiting on): the request's cost in work units
 *    (compute-cost.ts) from a token bucket of MFN_COMPUTE_WORK_LIMIT units per window, else 429
 *    with the time until the missing units are back. A request costing more than the whole
 *    budget could never run: it is refused at once with 400.
 *
 * The slot of step 1 is held from admission until the task has settled, whatever the outcome
 * (result, 500, 503, 504, 499 or a refusal in step 2 or 3): one `finally` gives it back.
 */
@Injectable()
export class ComputeAdmissionService {
  private readonly share: ComputeShare;
  private readonly workBudget: boolean;
  private readonly workLimit: number;
  private readonly windowMs: number;

  constructor(
    config: AppConfig,
    private readonly pool: ComputePoolService,
    private readonly buckets: TokenBucketStorage,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {
    this.share = new ComputeShare(config.compute.maxPerKey);
    this.workBudget = config.rateLimit.enabled;
    this.workLimit = config.compute.workLimit;
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  /** Tasks `tracker` (see ComputeCaller) has admitted and not yet settled. */
  inFlightOf(tracker: string): number {
    return this.share.inFlightOf(tracker);
  }

  /** Tasks admitted for all callers together. */
  get admitted(): number {
    return this.share.total;
  }

  async run<K extends ComputeTaskKind>(
    task: ComputeTask & { kind: K },
    request: ComputeRequestContext,
    transferList?: ArrayBuffer[],
    onProgress?: ComputeRunOptions['onProgress'],
  ): Promise<ComputeTaskResult<K>> {
    const cost = workCostOf(task);
    if (this.workBudget && cost > this.workLimit) throw this.overBudget(cost);
    const release = this.share.tryAcquire(request.caller.tracker);
    if (release === undefined) throw this.shareExceeded(task.kind, request);
    try {
      // The others' admitted tasks include those still waiting for their work tokens (Redis).
      this.pool.assertRoom(this.share.total - 1);
      if (this.workBudget) {
        const pending = this.buckets.take(`work|${request.caller.tracker}`, this.workLimit, this.windowMs, false, cost);
        const outcome = pending instanceof Promise ? await pending : pending;
        if (!outcome.allowed) throw this.workExceeded(task.kind, request, cost, outcome);
      }
      return await this.pool.run<K>(task, { signal: request.signal, requestId: request.requestId, transferList, onProgress });
    } finally {
      release();
    }
  }

  private overBudget(cost: number): AppException {
    return AppException.badRequest(
      `This request costs ${cost} compute work units, more than the ${this.workLimit} a caller may spend per ` +
        `${this.windowMs / 1000} s; it can never run here: make it smaller (grid_size, steps, epochs or gradients)`,
    );
  }

  private shareExceeded(kind: ComputeTaskKind, request: ComputeRequestContext): AppException {
    // One of the caller's tasks has to finish first: about one run time.
    const retryAfter = clampRetry(Math.ceil(this.pool.averageRunSeconds));
    const limit = this.share.limit;
    this.refused(kind, request, 'compute_share', { in_flight: this.share.inFlightOf(request.caller.tracker), limit, retry_after: retryAfter });
    return new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many compute requests in flight for this caller (at most ${limit}); retry when one has finished`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter },
    );
  }

  private workExceeded(kind: ComputeTaskKind, request: ComputeRequestContext, cost: number, outcome: BucketOutcome): AppException {
    const retryAfter = outcome.retryAfterSeconds;
    const windowSeconds = this.windowMs / 1000;
    this.refused(kind, request, 'work_budget', {
      cost,
      remaining: outcome.remaining,
      limit: this.workLimit,
      window_seconds: windowSeconds,
      retry_after: retryAfter,
    });
    return new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Compute work budget exceeded: this request costs ${cost} work units, ${outcome.remaining} of ${this.workLimit} per ${windowSeconds} s are left`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter },
    );
  }

  private refused(kind: ComputeTaskKind, request: ComputeRequestContext, reason: 'compute_share' | 'work_budget', details: Record<string, number>): void {
    // eslint-disable-next-line security/detect-object-injection -- `kind` is a ComputeTaskKind and ROUTE_OF a Record over that closed union
    const route = ROUTE_OF[kind];
    this.metrics.computeRejected(reason);
    this.metrics.rateLimitRejected(route);
    this.audit.record({
      action: 'rate_limit_exceeded',
      category: 'security',
      severity: 'WARNING',
      success: false,
      userId: request.caller.keyId,
      sourceIp: request.caller.clientIp,
      resource: request.resource,
      requestId: request.requestId,
      details: { reason, route, ...details },
    });
  }
}

function clampRetry(seconds: number): number {
  return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, seconds));
}
