import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { TokenBucketStorage } from '../throttling/token-bucket.storage';
import type { BucketOutcome } from '../throttling/token-bucket';
import type { ComputeCaller } from './client-abort.decorator';

/** What is charged: a synchronous compute request or a job submitted to the jobs API. */
export type ChargedWork = 'request' | 'job';

/** One charge against a caller's budget, with what the refusal's audit record names. */
export interface WorkCharge {
  caller: ComputeCaller;
  cost: number;
  what: ChargedWork;
  /** The route the refusal is counted for (mfn_rate_limit_rejections_total{route}). */
  route: string;
  /** The request path and id, for the audit record. */
  resource: string;
  requestId: string;
}

/**
 * The per-caller compute work budget (docs/security.md, "Fair compute"): MFN_COMPUTE_WORK_LIMIT
 * work units (compute-cost.ts) per MFN_RATE_LIMIT_WINDOW, one token bucket per caller
 * (`work|<tracker>`), spent by /simulate, /validate and /federated/aggregate when they are
 * admitted and by the jobs API when a job is submitted, so the jobs buy no more compute than the
 * synchronous routes. On only with rate limiting. A cost above the whole budget could never run:
 * 400 at once; an exhausted budget: 429 with the time until the missing units are back.
 */
@Injectable()
export class ComputeWorkBudget {
  readonly enabled: boolean;
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

  /** Throws 400 when `cost` is more than the whole budget (nothing is spent). */
  assertFits(cost: number, what: ChargedWork): void {
    if (!this.enabled || cost <= this.limit) return;
    throw AppException.badRequest(
      `This ${what} costs ${cost} compute work units, more than the ${this.limit} a caller may spend per ` +
        `${this.windowMs / 1000} s; it can never run here: make it smaller (grid_size, steps, epochs or gradients)`,
    );
  }

  /** Spends the charge's cost from the caller's bucket, else records the refusal and throws 429 (400 as assertFits). */
  async charge(charge: WorkCharge): Promise<void> {
    if (!this.enabled) return;
    this.assertFits(charge.cost, charge.what);
    const pending = this.buckets.take(`work|${charge.caller.tracker}`, this.limit, this.windowMs, false, charge.cost);
    const outcome = pending instanceof Promise ? await pending : pending;
    if (!outcome.allowed) throw this.exceeded(charge, outcome);
  }

  private exceeded(charge: WorkCharge, outcome: BucketOutcome): AppException {
    const retryAfter = outcome.retryAfterSeconds;
    const windowSeconds = this.windowMs / 1000;
    this.metrics.computeRejected('work_budget');
    this.metrics.rateLimitRejected(charge.route);
    this.audit.record({
      action: 'rate_limit_exceeded',
      category: 'security',
      severity: 'WARNING',
      success: false,
      userId: charge.caller.keyId,
      sourceIp: charge.caller.clientIp,
      resource: charge.resource,
      requestId: charge.requestId,
      details: {
        reason: 'work_budget',
        route: charge.route,
        cost: charge.cost,
        remaining: outcome.remaining,
        limit: this.limit,
        window_seconds: windowSeconds,
        retry_after: retryAfter,
      },
    });
    return new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Compute work budget exceeded: this ${charge.what} costs ${charge.cost} work units, ${outcome.remaining} of ${this.limit} per ${windowSeconds} s are left`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter },
    );
  }
}
