import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { ApiKeyService } from '../auth/api-key.service';
import { LockoutService } from '../auth/lockout/lockout.service';
import { RouteAccessResolver } from '../auth/route-access';
import { AppException, clientIpOf, ErrorCode, RouteTable, routeLabel } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { RateLimitPolicy } from './rate-limit.policy';
import { TokenBucketStorage } from './token-bucket.storage';
import type { BucketOutcome } from './token-bucket';

interface Client {
  tracker: string;
  keyId?: string;
  /** A protected route without a valid key: the API-key guard would answer 401. */
  failedAuthentication: boolean;
}

/**
 * A token bucket per (client, route template), before authentication so failed
 * keys are throttled too (brute force), on every path including unknown ones (which share the
 * `unmatched` bucket, so path spelling cannot mint fresh buckets).
 *
 * Client = the API key's id when the request carries a valid key for a protected route, else the
 * client address as Express resolved it (X-Forwarded-For only through MFN_TRUST_PROXY_HEADERS and
 * MFN_TRUSTED_PROXIES); IPv6 clients are grouped by /64 so rotating addresses inside one
 * allocation does not reset the budget.
 *
 * Public routes (probes, scrape) count in this process only, so they never wait for or depend
 * on Redis; every other bucket lives in the configured store (TokenBucketStorage).
 *
 * Headers: X-RateLimit-Limit and X-RateLimit-Remaining on every limited response; on 429 also
 * Retry-After and the RATE_LIMIT_EXCEEDED envelope with retry_after.
 *
 * A 429 to a request for a protected route without a valid key is also a failed authentication
 * for the brute-force lockout: a valid key passes a bucket the address has spent, so an attacker
 * who empties the address's bucket could otherwise keep testing keys here without ever reaching
 * the API-key guard, which counts the others.
 */
/** Nest awaits a guard's answer anyway; one settled promise serves every allowed request. */
const ALLOWED: Promise<boolean> = Promise.resolve(true);

/** The one bucket per address of requests to protected routes without a valid key. */
export const UNAUTHENTICATED_BUCKET = 'unauthenticated';

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly buckets: TokenBucketStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
    private readonly routes: RouteTable,
    private readonly policy: RateLimitPolicy,
    private readonly keys: ApiKeyService,
    private readonly access: RouteAccessResolver,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly lockout: LockoutService,
  ) {
    super(options, buckets, reflector);
  }

  /**
   * Replaces the base class's per-request loop over named throttlers (metadata lookups and several
   * awaits) with one direct pass: there is one throttler, and its limit depends on the route.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.rateLimit.enabled) return ALLOWED;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const route = routeLabel(req, this.routes);
    const isPublic = this.access.resolve(context).public;
    const client = this.clientOf(req, isPublic);
    // Without a valid key every protected route shares one bucket and one limit (the smallest):
    // per-route buckets would tell a caller without a key which routes exist (their limits
    // differ, and unknown paths share one count).
    const bucket = client.failedAuthentication ? UNAUTHENTICATED_BUCKET : route;
    const limit = client.failedAuthentication ? this.policy.unauthenticatedLimit : this.policy.limitFor(route);
    const pending = this.buckets.take(`${client.tracker}|${bucket}`, limit, this.policy.windowMs, isPublic);
    // In-process buckets answer synchronously: no async frame on the hot path.
    if (pending instanceof Promise) return pending.then((outcome) => this.settle(req, res, route, limit, client, outcome));
    const settled = this.settle(req, res, route, limit, client, pending);
    return settled === true ? ALLOWED : settled;
  }

  /**
   * Sets the headers; returns when a token was available, else records the refusal and throws the
   * 429 (after the lockout has counted it, when it answers a failed authentication).
   */
  private settle(req: Request, res: Response, route: string, limit: number, client: Client, outcome: BucketOutcome): true | Promise<never> {
    res.setHeader('X-RateLimit-Limit', limit);
    res.setHeader('X-RateLimit-Remaining', outcome.remaining);
    if (outcome.allowed) return true;

    const retryAfter = outcome.retryAfterSeconds;
    this.metrics.rateLimitRejected(route);
    this.audit.recordForRequest(req, {
      action: 'rate_limit_exceeded',
      category: 'security',
      severity: 'WARNING',
      success: false,
      userId: client.keyId,
      details: { route, limit, window_seconds: this.policy.windowMs / 1000, retry_after: retryAfter },
    });
    const refusal = new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit exceeded', HttpStatus.TOO_MANY_REQUESTS, {
      retryAfter,
    });
    if (client.failedAuthentication) return this.lockout.failed(req, refusal);
    throw refusal;
  }

  private clientOf(req: Request, isPublic: boolean): Client {
    if (this.config.auth.required && !isPublic) {
      const check = this.keys.checkRequest(req);
      if (check.status === 'valid') return { tracker: `key:${check.principal.id}`, keyId: check.principal.id, failedAuthentication: false };
      return { tracker: `ip:${normalizeIp(clientIpOf(req))}`, failedAuthentication: true };
    }
    return { tracker: `ip:${normalizeIp(clientIpOf(req))}`, failedAuthentication: false };
  }
}
