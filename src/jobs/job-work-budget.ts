import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode, requestIdOf } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { computeCallerOf } from '../simulation/client-abort.decorator';
import { TokenBucketStorage } from '../throttling/token-bucket.storage';
import type { JobKind } from './job.types';

const ROUTE_OF: Readonly<Record<JobKind, string>> = {
  simulate: '/jobs/simulate',
  validate: '/jobs/validate',
  aggregate: '/jobs/aggregate',
};

/**
 * The compute work budget of the synchronous routes (MFN_COMPUTE_WORK_LIMIT work units per
 * MFN_RATE_LIMIT_WINDOW per caller, compute-cost.ts), charged when a job is submitted: the same
 * bucket (`work|<caller>`) as /simulate, /validate and /federated/aggregate spend from, so the
 * jobs API buys no more compute than the synchronous one. A job costing more than the whole
 * budget is refused with 400, an exhausted budget with 429 and the time until the units are back.
 */
@Injectable()
export class JobWorkBudget {
  private readonly enabled: boolean;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    config: AppConfig,
    private readonly buckets: TokenBucketStorage,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {
    this.enabled = config.rateLimit.enabled;
    this.limit = config.compute.workLimit;
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  /** Spends `cost` work units (workCostOf of the job's task) of the caller's budget, else throws 400/429. */
  async charge(req: Request, kind: JobKind, cost: number): Promise<void> {
    if (!this.enabled) return;
    const windowSeconds = this.windowMs / 1000;
    if (cost > this.limit) {
      throw AppException.badRequest(
        `This job costs ${cost} compute work units, more than the ${this.limit} a caller may spend per ${windowSeconds} s; ` +
          'it can never run here: make it smaller (grid_size, steps, epochs or gradients)',
      );
    }
    const caller = computeCallerOf(req);
    const pending = this.buckets.take(`work|${caller.tracker}`, this.limit, this.windowMs, false, cost);
    const outcome = pending instanceof Promise ? await pending : pending;
    if (outcome.allowed) return;
    // eslint-disable-next-line security/detect-object-injection -- `kind` is a JobKind and ROUTE_OF a Record over that closed union
    const route = ROUTE_OF[kind];
    this.metrics.computeRejected('work_budget');
    this.metrics.rateLimitRejected(route);
    this.audit.record({
      action: 'rate_limit_exceeded',
      category: 'security',
      severity: 'WARNING',
      success: false,
      userId: caller.keyId,
      sourceIp: caller.clientIp,
      resource: route,
      requestId: requestIdOf(req),
      details: { reason: 'work_budget', route, cost, remaining: outcome.remaining, limit: this.limit, window_seconds: windowSeconds, retry_after: outcome.retryAfterSeconds },
    });
    throw new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Compute work budget exceeded: this job costs ${cost} work units, ${outcome.remaining} of ${this.limit} per ${windowSeconds} s are left`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter: outcome.retryAfterSeconds },
    );
  }
}
