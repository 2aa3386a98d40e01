import { HttpStatus, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuditService } from '../audit/audit.service';
import { ANONYMOUS_PRINCIPAL, API_KEY_HEADER, ApiKeyService } from '../auth/api-key.service';
import { LockoutService } from '../auth/lockout/lockout.service';
import type { Principal } from '../auth/principal';
import { Role } from '../auth/roles';
import { AppException, ErrorCode, StandardErrors, buildEnvelope, clientIpOf, resolveError } from '../common';
import { AppConfig } from '../config';
import { Admission, ConnectionRegistry } from './connection-registry';
import { StreamMetrics, UpgradeRefusal } from './stream-metrics';

/** ws's verifyClient callback: accept, or refuse with a status, a body and headers. */
export type VerifyCallback = (accept: boolean, status?: number, body?: string, headers?: Record<string, string>) => void;

/** True when a principal may use the streams: role `compute` (or `admin`). */
export function mayStream(principal: Principal): boolean {
  return principal.roles.has(Role.COMPUTE) || principal.roles.has(Role.ADMIN);
}

/**
 * Decides an upgrade from its headers before the 101 goes out, as the HTTP guard chain decides a
 * request (docs/streaming.md, "Upgrade"): Origin against the CORS rules (403), the brute-force
 * lock (429), X-API-Key (401; a failure counts towards the lock), role `compute` (403), then the
 * connection caps (429 per key, 503 for the process). Without X-API-Key the upgrade is accepted
 * unauthenticated and the in-band `auth` message must follow. Refusals are the error envelope.
 */
@Injectable()
export class UpgradeGate {
  private readonly origins: '*' | ReadonlySet<string>;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly lockout: LockoutService,
    private readonly audit: AuditService,
    private readonly registry: ConnectionRegistry,
    private readonly metrics: StreamMetrics,
  ) {
    const origins = config.cors.origins;
    this.origins = origins === '*' ? '*' : new Set(origins.map((o) => o.toLowerCase()));
  }

  /** New upgrades are refused with 503 from now on (shutdown). */
  stopAccepting(): void {
    this.closing = true;
  }

  verify(req: IncomingMessage, callback: VerifyCallback): void {
    const requestId = randomUUID();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const clientIp = clientIpOf(req as Request);
    const refuse = (reason: UpgradeRefusal, error: AppException) => {
      this.metrics.upgradeRefused(reason);
      const resolved = resolveError(error);
      const body = JSON.stringify(buildEnvelope(resolved, requestId));
      callback(false, resolved.status, body, { ...resolved.headers, 'Content-Type': 'application/json; charset=utf-8', 'X-Request-ID': requestId });
    };
    const context = { requestId, resource: path, sourceIp: clientIp };
    if (this.closing) return refuse('shutting_down', AppException.unavailable('The service is shutting down', 1));

    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      this.audit.record({ ...context, action: 'access_denied', category: 'authorization', severity: 'WARNING', success: false, details: { reason: 'origin_not_allowed' } });
      return refuse('origin', new AppException(ErrorCode.FORBIDDEN, 'This Origin may not open streams', HttpStatus.FORBIDDEN));
    }

    const decide = (principal: Principal | undefined): void => {
      const tracker = principal?.authenticated ? `key:${principal.id}` : `ip:${normalizeIp(clientIp)}`;
      const full = this.registry.refusal(tracker);
      if (full === 'global_cap') return refuse('global_cap', AppException.unavailable('Too many stream connections; retry later', 5));
      if (full === 'key_cap') {
        this.audit.record({ ...context, action: 'rate_limit_exceeded', category: 'security', severity: 'WARNING', success: false, userId: principal?.id, details: { reason: 'ws_connection_cap', limit: this.registry.maxPerKey } });
        return refuse('key_cap', new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, `At most ${this.registry.maxPerKey} stream connections per caller`, HttpStatus.TOO_MANY_REQUESTS, { retryAfter: 5 }));
      }
      const admission: Admission = { tracker, principal, clientIp, requestId, path };
      this.registry.reserve(req, admission, () => undefined);
      callback(true);
    };

    if (!this.config.auth.required) return decide(ANONYMOUS_PRINCIPAL);
    // eslint-disable-next-line security/detect-object-injection -- API_KEY_HEADER is the constant header name `x-api-key`
    const presented = req.headers[API_KEY_HEADER];
    if (presented === undefined) return decide(undefined);

    const onError = (err: unknown) => {
      const error = err instanceof AppException ? err : AppException.unavailable('Authentication is unavailable; retry later', 1);
      const status = error.getStatus();
      refuse(status === 429 ? 'locked_out' : status === 403 ? 'forbidden' : 'invalid_api_key', error);
    };
    try {
      const outcome = this.lockout.whenUnlocked(req as Request, () => this.authenticate(req, presented, context));
      if (outcome instanceof Promise) outcome.then(decide, onError);
      else decide(outcome);
    } catch (err) {
      onError(err);
    }
  }

  private authenticate(req: IncomingMessage, presented: string | string[], context: { requestId: string; resource: string; sourceIp: string }): Principal | Promise<Principal> {
    const result = this.keys.check(presented);
    if (result.status !== 'valid') {
      const reason = result.status === 'missing' ? 'missing_api_key' : result.status === 'expired' ? 'expired_api_key' : 'invalid_api_key';
      this.audit.record({ ...context, action: 'authentication_failure', category: 'authentication', severity: 'WARNING', success: false, details: { reason } });
      return this.lockout.failed(req as Request, StandardErrors.authentication(result.status === 'missing'));
    }
    const principal = result.principal;
    if (!mayStream(principal)) {
      this.audit.record({ ...context, action: 'access_denied', category: 'authorization', severity: 'WARNING', success: false, userId: principal.id, details: { reason: 'insufficient_permissions', required_roles: [Role.COMPUTE] } });
      throw StandardErrors.roleRequired([Role.COMPUTE]);
    }
    this.audit.record({ ...context, action: 'authentication_success', category: 'authentication', userId: principal.id });
    return principal;
  }

  private originAllowed(origin: string): boolean {
    return this.origins === '*' || this.origins.has(origin.toLowerCase());
  }
}
