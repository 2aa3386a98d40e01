import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { principalOf } from '../auth/principal';
import { FallbackController } from '../common/http/fallback.controller';
import { AuditService } from './audit.service';

/**
 * Emits `access_granted` once an authenticated caller has passed every check of the guard chain
 * and the protected handler is about to run (resource = the path). Unknown paths are not
 * resources, so the catch-all route is skipped.
 *
 * A guard rather than an interceptor on purpose: every global interceptor wraps each handler call
 * in rxjs observables plus an AsyncResource scope (still so in Nest 12, if cheaper than in 11, where
 * it measured at about a sixth of the CPU of a guarded POST /nernst); the last guard sees exactly
 * the same decision for free.
 */
@Injectable()
export class AccessAuditGuard implements CanActivate {
  constructor(private readonly audit: AuditService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(req);
    if (principal?.authenticated && context.getClass() !== FallbackController) {
      this.audit.recordForRequest(req, {
        action: 'access_granted',
        category: 'authorization',
        userId: principal.id,
      });
    }
    return true;
  }
}
