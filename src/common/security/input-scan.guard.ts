import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import { principalOf } from '../../auth/principal';
import { RouteAccessResolver } from '../../auth/route-access';
import { MetricsService } from '../../metrics/metrics.service';
import { AppException, ErrorCode, ErrorDetail, MAX_DETAIL_FIELD_LENGTH, cutText } from '../errors';
import { FallbackController } from '../http/fallback.controller';
import { detectInjection, InjectionKind } from './input-sanitiser';
import { PAYLOAD_FIELDS } from './payload-fields';

/**
 * Fields with their own, stricter charset. A pattern hit that still fits the charset (e.g. the key
 * id `update-2024`) is only reported; anything else is left to the field's validation.
 */
const STRICT_CHARSETS: Readonly<Record<string, RegExp>> = {
  key_id: /^[A-Za-z0-9._:-]{1,64}$/,
  stream_id: /^[A-Za-z0-9._:-]{1,64}$/,
};

const MAX_DEPTH = 4;
/** Values visited per request at most; string inputs of the API sit near the top of small bodies. */
const MAX_NODES = 1024;

interface Hit {
  field: string;
  kind: InjectionKind;
  rejected: boolean;
}

const MESSAGES: Record<InjectionKind, string> = {
  sql_injection_attempt: 'contains a pattern that looks like SQL injection',
  xss_attempt: 'contains a pattern that looks like script injection',
};

/**
 * The last guard of the chain: scans every free-text input (body and query strings of routed
 * requests, and the raw X-Request-ID header) for SQL/XSS patterns. Each hit is reported as a
 * `suspicious_activity` audit event and counted; a hit in a field without a stricter charset is
 * refused with 400 VALIDATION_ERROR. The invalid X-Request-ID itself is replaced, not refused
 * (request-id middleware), so it is only reported.
 */
@Injectable()
export class InputScanGuard implements CanActivate {
  constructor(
    private readonly access: RouteAccessResolver,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    let hits: Hit[] | undefined;

    const requestId = req.headers['x-request-id'];
    if (typeof requestId === 'string' && requestId.length > 0) {
      const kind = detectInjection(requestId);
      if (kind) hits = [{ field: 'header.x-request-id', kind, rejected: false }];
    }

    if (context.getClass() !== FallbackController && !this.access.resolve(context).public) {
      const body: unknown = req.body;
      if (body !== null && typeof body === 'object') hits = scan(body, 'body', 0, hits, { nodes: 0 });
      if (req.url.includes('?')) hits = scan(req.query, 'query', 0, hits, { nodes: 0 });
    }

    if (hits === undefined) return true;
    const principal = principalOf(req);
    const userId = principal?.authenticated ? principal.id : undefined;
    for (const hit of hits) {
      this.metrics.suspiciousRequest(hit.kind);
      this.audit.recordForRequest(req, {
        action: 'suspicious_activity',
        category: 'security',
        severity: 'ERROR',
        success: false,
        userId,
        // A field path holds client-chosen key names: cut like the error body's, so the line stays small.
        details: { activity_type: hit.kind, field: cutText(hit.field, MAX_DETAIL_FIELD_LENGTH), rejected: hit.rejected },
      });
    }
    const details: ErrorDetail[] = hits.filter((h) => h.rejected).map((h) => ({ field: h.field, message: MESSAGES[h.kind] }));
    if (details.length > 0) {
      throw new AppException(ErrorCode.VALIDATION_ERROR, `Validation failed: ${details.length} error(s)`, HttpStatus.BAD_REQUEST, {
        details,
      });
    }
    return true;
  }
}

function scan(value: unknown, path: string, depth: number, hits: Hit[] | undefined, budget: { nodes: number }): Hit[] | undefined {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return hits;
  const isArray = Array.isArray(value);
  const keys = isArray ? undefined : Object.keys(value);
  const length = isArray ? (value as unknown[]).length : keys!.length;
  for (let i = 0; i < length; i++) {
    // Numbers and booleans cost a visit too, so a huge array cannot make the scan expensive.
    if (++budget.nodes > MAX_NODES) return hits;
    const key = isArray ? String(i) : keys![i];
    if (!isArray && PAYLOAD_FIELDS.has(key)) continue;
    const v = isArray ? (value as unknown[])[i] : (value as Record<string, unknown>)[key];
    if (typeof v === 'string') {
      const kind = detectInjection(v);
      if (kind) {
        // Own keys only: a body field named `constructor` or `__proto__` must not find Object's.
        const charset = isArray || !Object.hasOwn(STRICT_CHARSETS, key) ? undefined : STRICT_CHARSETS[key];
        (hits ??= []).push({ field: `${path}.${key}`, kind, rejected: charset === undefined || !charset.test(v) });
      }
    } else if (v !== null && typeof v === 'object') {
      hits = scan(v, `${path}.${key}`, depth + 1, hits, budget);
    }
  }
  return hits;
}
