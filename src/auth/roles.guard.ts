import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { StandardErrors } from '../common';
import { MetricsService } from '../metrics/metrics.service';
import { principalOf } from './principal';
import { Role } from './roles';
import { RouteAccessResolver } from './route-access';

/**
 * Authorization: a route with `@RequireRoles(...)` (or the scrape route behind auth) needs a key
 * holding one of the roles; `admin` holds them all. Runs after the API-key guard, so a caller
 * here is already authenticated (or anonymous with every role when auth is off).
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly access: RouteAccessResolver,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.access.resolve(context).roles;
    if (required === undefined) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(req);
    // No principal here would mean the chain was misordered: refuse rather than serve.
    const roles = principal?.roles;
    if (roles !== undefined && (roles.has(Role.ADMIN) || required.some((role) => holds(roles, role)))) return true;

    this.metrics.authFailure('insufficient_permissions');
    this.audit.recordForRequest(req, {
      action: 'access_denied',
      category: 'authorization',
      severity: 'WARNING',
      success: false,
      userId: principal?.id,
      details: { reason: 'insufficient_permissions', required_roles: [...required] },
    });
    throw StandardErrors.roleRequired(required);
  }
}

/** keys-admin is a wider keys role: it passes every route that asks for keys. */
function holds(roles: ReadonlySet<Role>, role: Role): boolean {
  return roles.has(role) || (role === Role.KEYS && roles.has(Role.KEYS_ADMIN));
}
