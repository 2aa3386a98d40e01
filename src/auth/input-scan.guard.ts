import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { principalOf } from './principal';
import { RouteAccessResolver } from './route-access';
import { MetricsService } from '../metrics/metrics.service';
import { FallbackController } from '../common/http/fallback.controller';
import { scanFreeText } from '../common/security/free-text-scan';

/**
 * Reports injection patterns in the free-text fields of authenticated requests; never refuses.
 * It runs after the API-key and roles guards, on routed, non-public requests only, so a caller
 * without a key cannot make it work at all. It reads the path and query parameters and the body's
 * `key_id` (`free-text-scan.ts`: strings only, each cut to 1024 characters) and never the
 * `X-Request-ID` header, which the request-id middleware replaces when it is not a plain id.
 *
 * Every scanned field has its own strict charset, enforced by validation, which decides the
 * answer: `key_id: "update-2024"` fits it and is served, `' OR 1=1 --` gets 422. The scan only
 * tells operators that someone probes: one `suspicious_activity` event per request whatever the
 * number of hits, and the metric counted once per distinct kind.
 */
@Injectable()
export class InputScanGuard implements CanActivate {
  constructor(
    private readonly access: RouteAccessResolver,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getClass() === FallbackController || this.access.resolve(context).public) return true;
    const req = context.switchToHttp().getRequest<Request>();
    // Express parses the query on every read of req.query: only when there is one.
    const hits = scanFreeText({ params: req.params, query: req.url.includes('?') ? req.query : undefined, body: req.body });
    if (hits === undefined) return true;

    for (const kind of hits.kinds) this.metrics.suspiciousRequest(kind);
    const principal = principalOf(req);
    this.audit.recordForRequest(req, {
      action: 'suspicious_activity',
      category: 'security',
      severity: 'ERROR',
      success: false,
      userId: principal?.authenticated ? principal.id : undefined,
      details: { activity_type: hits.kinds[0], kinds: hits.kinds, fields: hits.fields, hits: hits.count },
    });
    return true;
  }
}
