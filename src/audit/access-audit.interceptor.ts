import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { principalOf } from '../auth/principal';
import { FallbackController } from '../common/http/fallback.controller';
import { AuditService } from './audit.service';

/**
 * Emits `access_granted` when an authenticated caller passed every guard and reaches a protected
 * handler (resource = the path). Unknown paths are not resources, so the catch-all route is
 * skipped. Deliberately does no work after the handler: it sits on the hot path of every call.
 */
@Injectable()
export class AccessAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(req);
    if (principal?.authenticated && context.getClass() !== FallbackController) {
      this.audit.recordForRequest(req, {
        action: 'access_granted',
        category: 'authorization',
        userId: principal.id,
      });
    }
    return next.handle();
  }
}
