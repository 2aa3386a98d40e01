import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { LockoutService } from '../auth/lockout/lockout.service';
import { StandardErrors } from '../common';
import { MetricsService } from '../metrics/metrics.service';
import { DEFAULT_THROTTLER, RateLimitClients } from './rate-limit.clients';

/**
 * @nestjs/throttler's guard over the token buckets (TokenBucketStorage), with its limits, tracker
 * and keys from the throttler options (RateLimitClients). It runs before authentication, so
 * failed keys are throttled too, and on every path, unknown ones included (the `unmatched`
 * bucket). A 429 to a request for a protected route without a valid key also counts as a failed
 * authentication for the lockout: otherwise an attacker who has emptied the address's bucket
 * could keep testing keys here (a valid key has its own bucket) without reaching the API-key
 * guard, which counts the others.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly clients: RateLimitClients,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly lockout: LockoutService,
  ) {
    super(options, storage, reflector);
  }

  /** The library's own step (its README's pattern) with our headers: both on every answer, 429 included. */
  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? DEFAULT_THROTTLER;
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    // A request whose framing broke while it waited here has been answered already (protocol-errors.ts).
    if (!res.headersSent) {
      res.setHeader('X-RateLimit-Limit', limit);
      res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - record.totalHits));
    }
    if (record.isBlocked) await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
    return true;
  }

  /** Records the refusal, then throws the 429 (after the lockout has counted it, when it answers a failed authentication). */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    const route = this.clients.routeOf(context);
    const retryAfter = detail.timeToBlockExpire;
    this.metrics.rateLimitRejected(route);
    this.audit.recordForRequest(req, {
      action: 'rate_limit_exceeded',
      category: 'security',
      severity: 'WARNING',
      success: false,
      userId: this.clients.keyIdOf(context),
      details: { route, limit: detail.limit, window_seconds: detail.ttl / 1000, retry_after: retryAfter },
    });
    const refusal = StandardErrors.rateLimited(retryAfter);
    if (this.clients.failedAuthentication(context)) await this.lockout.failed(req, refusal);
    throw refusal;
  }
}
