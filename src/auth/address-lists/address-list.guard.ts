import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import { AppException, clientIpOf, ErrorCode, RouteTable, routeLabel } from '../../common';
import { MetricsService } from '../../metrics/metrics.service';
import { AddressListService } from './address-list.service';

/**
 * The probes: the kubelet calls them from the node's address, which an allow list of client
 * networks would not hold, and a pod that fails them is restarted or taken out of the Service.
 */
export const ADDRESS_LIST_EXEMPT_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/ready']);

export const ADDRESS_REFUSED_MESSAGE = 'Requests from this address are not allowed';

/**
 * The first guard: MFN_IP_DENYLIST / MFN_IP_ALLOWLIST, decided from the client address alone
 * (clientIpOf: X-Forwarded-For only when proxy headers are trusted), before rate limiting and
 * authentication — a refused address spends no bucket and needs no key to be told 403
 * FORBIDDEN. Every route is covered, unknown paths included, except the probe routes. The
 * message does not say which list refused the address; the `access_denied` audit event does.
 */
@Injectable()
export class AddressListGuard implements CanActivate {
  constructor(
    private readonly lists: AddressListService,
    private readonly routes: RouteTable,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.lists.policy;
    if (!policy.active) return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (ADDRESS_LIST_EXEMPT_ROUTES.has(routeLabel(req, this.routes))) return true;
    const refusal = policy.refusalFor(clientIpOf(req));
    if (refusal === undefined) return true;

    this.metrics.addressRejected(refusal);
    this.audit.recordForRequest(req, {
      action: 'access_denied',
      category: 'authorization',
      severity: 'WARNING',
      success: false,
      details: { reason: refusal },
    });
    throw new AppException(ErrorCode.FORBIDDEN, ADDRESS_REFUSED_MESSAGE, HttpStatus.FORBIDDEN);
  }
}
