import { HttpStatus, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuditService } from '../audit/audit.service';
import { ADDRESS_REFUSED_MESSAGE } from '../auth/address-lists/address-list.middleware';
import { AddressListService } from '../auth/address-lists/address-list.service';
import { TokenBucketStorage } from '../throttling/token-bucket.storage';
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

class Refusal extends Error {
  constructor(
    readonly reason: UpgradeRefusal,
    readonly error: AppException,
  ) {
    super(error.message);
  }
}

function toRefusal(err: unknown): Refusal {
  if (!(err instanceof AppException)) return new Refusal('unavailable', AppException.unavailable('Streams are unavailable; retry later', 1));
  const status = err.getStatus();
  return new Refusal(status === 429 ? 'locked_out' : status === 403 ? 'forbidden' : status === 401 ? 'invalid_api_key' : 'unavailable', err);
}

/** True when a principal may use the streams: role `compute` (or `admin`). */
export function mayStream(principal: Principal): boolean {
  return principal.roles.has(Role.COMPUTE) || principal.roles.has(Role.ADMIN);
}

/**
 * Decides an upgrade from its headers before the 101 goes out, as the HTTP pipeline decides a
 * request (docs/streaming.md, "Upgrade"): address lists (403), Host (400), Origin against the CORS rules
 * (403), the brute-force lock (429), X-API-Key (401; a failure counts towards the lock), role
 * `compute` (403), the caller's default rate-limit bucket (429), then the connection caps (429
 * per key, 503 for the process). Without X-API-Key the upgrade is accepted
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
    private readonly addresses: AddressListService,
    private readonly buckets: TokenBucketStorage,
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
    const context = { requestId, resource: path, sourceIp: clientIp };
    this.decide(req, context)
      .then((principal) => {
        const tracker = principal?.authenticated ? `key:${principal.id}` : `ip:${normalizeIp(clientIp)}`;
        // Checked and taken in one synchronous step: no other upgrade can slip in between.
        const full = this.registry.refusal(tracker, principal === undefined);
        if (full === 'global_cap' || full === 'pending_auth_cap') throw new Refusal(full, AppException.unavailable('Too many stream connections; retry later', 5));
        if (full === 'key_cap') {
          this.audit.record({ ...context, action: 'rate_limit_exceeded', category: 'security', severity: 'WARNING', success: false, userId: principal?.id, details: { reason: 'ws_connection_cap', limit: this.registry.maxPerKey } });
          throw new Refusal('key_cap', new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, `At most ${this.registry.maxPerKey} stream connections per caller`, HttpStatus.TOO_MANY_REQUESTS, { retryAfter: 5 }));
        }
        const admission: Admission = { tracker, principal, clientIp, requestId, path };
        // A client gone while the checks ran: ws drops the upgrade itself.
        callback(this.registry.reserve(req, admission));
      })
      .catch((err: unknown) => {
        const refusal = err instanceof Refusal ? err : toRefusal(err);
        this.metrics.upgradeRefused(refusal.reason);
        const resolved = resolveError(refusal.error);
        const body = JSON.stringify(buildEnvelope(resolved, requestId));
        callback(false, resolved.status, body, { ...resolved.headers, 'Content-Type': 'application/json; charset=utf-8', 'X-Request-ID': requestId });
      });
  }

  /** The principal of an accepted upgrade (undefined: in-band auth must follow), or a Refusal. */
  private async decide(req: IncomingMessage, context: { requestId: string; resource: string; sourceIp: string }): Promise<Principal | undefined> {
    if (this.closing) throw new Refusal('shutting_down', AppException.unavailable('The service is shutting down', 1));
    const policy = this.addresses.policy;
    const listed = policy.active ? policy.refusalFor(context.sourceIp) : undefined;
    if (listed !== undefined) {
      this.audit.record({ ...context, action: 'access_denied', category: 'authorization', severity: 'WARNING', success: false, details: { reason: listed } });
      throw new Refusal('address', new AppException(ErrorCode.FORBIDDEN, ADDRESS_REFUSED_MESSAGE, HttpStatus.FORBIDDEN));
    }
    if (req.headers.host === undefined) throw new Refusal('host', AppException.badRequest('Missing Host header'));
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      this.audit.record({ ...context, action: 'access_denied', category: 'authorization', severity: 'WARNING', success: false, details: { reason: 'origin_not_allowed' } });
      throw new Refusal('origin', new AppException(ErrorCode.FORBIDDEN, 'This Origin may not open streams', HttpStatus.FORBIDDEN));
    }
    if (!this.config.auth.required) {
      await this.spendUpgrade(`ip:${normalizeIp(context.sourceIp)}`, context);
      return ANONYMOUS_PRINCIPAL;
    }
    // eslint-disable-next-line security/detect-object-injection -- API_KEY_HEADER is the constant header name `x-api-key`
    const presented = req.headers[API_KEY_HEADER];
    if (presented === undefined) {
      await this.spendUpgrade(`ip:${normalizeIp(context.sourceIp)}`, context);
      return undefined;
    }
    // As on HTTP: the lock before the key; a failed key is still throttled (its address' bucket).
    const principal = await this.lockout.whenUnlocked(req as Request, () => this.authenticate(req, presented, context));
    await this.spendUpgrade(`key:${principal.id}`, context);
    return principal;
  }

  /** One token of the caller's default rate-limit bucket per upgrade (with rate limiting on). */
  private async spendUpgrade(tracker: string, context: { requestId: string; resource: string; sourceIp: string }): Promise<void> {
    if (!this.config.rateLimit.enabled) return;
    const { requests, windowSeconds } = this.config.rateLimit;
    const outcome = await this.buckets.take(`ws-upgrade|${tracker}`, requests, windowSeconds * 1000);
    if (outcome.allowed) return;
    this.audit.record({ ...context, action: 'rate_limit_exceeded', category: 'security', severity: 'WARNING', success: false, details: { reason: 'ws_upgrade_rate', limit: requests, window_seconds: windowSeconds } });
    throw new Refusal('rate_limited', StandardErrors.rateLimited(outcome.retryAfterSeconds));
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
