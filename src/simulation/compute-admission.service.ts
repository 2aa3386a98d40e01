import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import type { ComputeRequestContext } from './client-abort.decorator';
import { workCostOf } from './compute-cost';
import { ComputePoolService, type ComputeRunOptions } from './compute-pool.service';
import { ComputeShare } from './compute-share';
import { ComputeWorkBudget } from './compute-work-budget';
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
 * 3. the caller's work budget (ComputeWorkBudget, with rate limiting on): the request's cost in
 *    work units (compute-cost.ts), else 429 with the time until the missing units are back. A
 *    request costing more than the whole budget could never run: it is refused at once with 400.
 *
 * The slot of step 1 is held from admission until the task has settled, whatever the outcome
 * (result, 500, 503, 504, 499 or a refusal in step 2 or 3): one `finally` gives it back.
 */
@Injectable()
export class ComputeAdmissionService {
  private readonly share: ComputeShare;

  constructor(
    config: AppConfig,
    private readonly pool: ComputePoolService,
    private readonly workBudget: ComputeWorkBudget,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {
    this.share = new ComputeShare(config.compute.maxPerKey);
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
    this.workBudget.assertFits(cost, 'request');
    const release = this.share.tryAcquire(request.caller.tracker);
    if (release === undefined) throw this.shareExceeded(task.kind, request);
    try {
      // The others' admitted tasks include those still waiting for their work tokens (Redis).
      this.pool.assertRoom(this.share.total - 1);
      await this.workBudget.charge({
        caller: request.caller,
        cost,
        what: 'request',
        route: ROUTE_OF[task.kind],
        resource: request.resource,
        requestId: request.requestId,
      });
      return await this.pool.run<K>(task, { signal: request.signal, requestId: request.requestId, transferList, onProgress });
    } finally {
      release();
    }
  }

  private shareExceeded(kind: ComputeTaskKind, request: ComputeRequestContext): AppException {
    // One of the caller's tasks has to finish first: about one run time.
    const retryAfter = clampRetry(Math.ceil(this.pool.averageRunSeconds));
    const limit = this.share.limit;
    // eslint-disable-next-line security/detect-object-injection -- `kind` is a ComputeTaskKind and ROUTE_OF a Record over that closed union
    const route = ROUTE_OF[kind];
    this.metrics.computeRejected('compute_share');
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
      details: { reason: 'compute_share', route, in_flight: this.share.inFlightOf(request.caller.tracker), limit, retry_after: retryAfter },
    });
    return new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many compute requests in flight for this caller (at most ${limit}); retry when one has finished`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter },
    );
  }
}

function clampRetry(seconds: number): number {
  return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, seconds));
}
