import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AppException, ErrorCode } from '../common';
import { LockoutService } from '../auth/lockout/lockout.service';
import { SecretsService } from '../secrets/secrets.service';
import { METRICS_TOKEN_SECRET } from './metrics.constants';
import { AuthFailureReason, MetricsService } from './metrics.service';

/** Longest Authorization header looked at; anything longer cannot hold a sane token. */
const MAX_AUTHORIZATION_LENGTH = 4096;
const BEARER = /^Bearer[ \t]+([!-~]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  return BEARER.exec(header.trim())?.[1];
}

function unauthorized(code: ErrorCode, message: string): AppException {
  return new AppException(code, message, HttpStatus.UNAUTHORIZED, {
    headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  });
}

/** The scrape route's 401s (MFN_METRICS_TOKEN set): no bearer token, or a wrong one. */
export const MetricsTokenErrors = {
  missing: () => unauthorized(ErrorCode.AUTHENTICATION_REQUIRED, 'Metrics token required: send Authorization: Bearer <token>'),
  invalid: () => unauthorized(ErrorCode.INVALID_API_KEY, 'Invalid metrics token'),
};

/**
 * Constant-time comparison: both sides are hashed first so neither their contents nor their
 * lengths show in the time taken.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Optional protection of the scrape route: when the MFN_METRICS_TOKEN secret is set, /metrics
 * needs `Authorization: Bearer <token>`, else 401 in the error envelope. The secret is read on
 * every scrape so a rotated value applies without a restart. Runs after the global guards, so
 * with MFN_METRICS_INCLUDE_IN_AUTH=true a scraper needs both an API key and the token.
 *
 * A wrong or missing token is a failed authentication for the brute-force lockout
 * (LockoutService), and a locked address is refused (429) before its token is compared.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(
    private readonly secrets: SecretsService,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    private readonly lockout: LockoutService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const expected = this.secrets.getSecret(METRICS_TOKEN_SECRET)?.trim();
    if (!expected) return true;
    const req = context.switchToHttp().getRequest<Request>();
    return this.lockout.whenUnlocked(req, () => this.verify(req, expected));
  }

  private verify(req: Request, expected: string): true | Promise<never> {
    const presented = bearerTokenOf(req.headers.authorization);
    if (presented === undefined) {
      return this.reject(req, 'missing_metrics_token', MetricsTokenErrors.missing());
    }
    if (!tokensMatch(presented, expected)) {
      return this.reject(req, 'invalid_metrics_token', MetricsTokenErrors.invalid());
    }
    return true;
  }

  private reject(req: Request, reason: AuthFailureReason, error: AppException): Promise<never> {
    this.metrics.authFailure(reason);
    this.audit.authenticationFailure(req, reason);
    return this.lockout.failed(req, error);
  }
}
