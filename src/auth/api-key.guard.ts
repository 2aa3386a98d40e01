import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { StandardErrors } from '../common';
import { AppConfig } from '../config';
import { AuthFailureReason, MetricsService } from '../metrics/metrics.service';
import { ANONYMOUS_PRINCIPAL, ApiKeyService } from './api-key.service';
import { LockoutService } from './lockout/lockout.service';
import { setPrincipal } from './principal';
import { RouteAccessResolver } from './route-access';

const REASONS = {
  missing: 'missing_api_key',
  invalid: 'invalid_api_key',
  expired: 'expired_api_key',
} as const satisfies Record<'missing' | 'invalid' | 'expired', AuthFailureReason>;

/**
 * Authentication: every route that is not `@Public()` needs a valid X-API-Key, whatever the
 * method or path spelling — unknown paths included, since they reach the catch-all route (401
 * before 404, so routes cannot be enumerated without a key). Sets the caller's Principal on the
 * request. With MFN_API_KEY_REQUIRED=false every request runs as the anonymous principal.
 *
 * Each failed authentication is reported to the brute-force lockout (LockoutService) before its
 * 401 is thrown; the lock itself is checked earlier, by LockoutGuard. The in-memory lockout store
 * answers synchronously, so the guard only returns a promise when Redis holds the counts.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly access: RouteAccessResolver,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly lockout: LockoutService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!this.config.auth.required) {
      setPrincipal(req, ANONYMOUS_PRINCIPAL);
      return true;
    }
    if (this.access.resolve(context).public) return true;

    const result = this.keys.checkRequest(req);
    if (result.status === 'valid') {
      const grant = (): true => {
        setPrincipal(req, result.principal);
        this.audit.recordForRequest(req, {
          action: 'authentication_success',
          category: 'authentication',
          userId: result.principal.id,
        });
        return true;
      };
      // A lock set by guesses answered since LockoutGuard looked holds for this one too.
      const confirmed = this.lockout.confirmUnlocked(req);
      return confirmed === true ? grant() : confirmed.then(grant);
    }

    // An expired key is answered exactly like a wrong one; only the audit reason and metric tell them apart.
    const reason = REASONS[result.status];
    this.metrics.authFailure(reason);
    this.audit.authenticationFailure(req, reason);
    return this.lockout.failed(req, StandardErrors.authentication(result.status === 'missing'));
  }
}
