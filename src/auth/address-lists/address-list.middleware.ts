import { HttpStatus, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
 * MFN_IP_DENYLIST / MFN_IP_ALLOWLIST, decided from the client address alone (clientIpOf:
 * X-Forwarded-For only when proxy headers are trusted), in front of everything else the request
 * meets — routing, CORS preflights, the docs pages, rate limiting and authentication: a refused
 * address spends no bucket, needs no key to be told 403 FORBIDDEN, and gets no other answer
 * (not even a 400 for a malformed path or a 404 for `OPTIONS *`). Every path is covered except
 * the probe routes. The message does not say which list refused the address; the
 * `access_denied` audit event does.
 */
@Injectable()
export class AddressListMiddleware {
  constructor(
    private readonly lists: AddressListService,
    private readonly routes: RouteTable,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  readonly middleware: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
    const policy = this.lists.policy;
    if (!policy.active || ADDRESS_LIST_EXEMPT_ROUTES.has(routeLabel(req, this.routes))) return next();
    const refusal = policy.refusalFor(clientIpOf(req));
    if (refusal === undefined) return next();

    this.metrics.addressRejected(refusal);
    this.audit.recordForRequest(req, {
      action: 'access_denied',
      category: 'authorization',
      severity: 'WARNING',
      success: false,
      details: { reason: refusal },
    });
    next(new AppException(ErrorCode.FORBIDDEN, ADDRESS_REFUSED_MESSAGE, HttpStatus.FORBIDDEN));
  };
}
