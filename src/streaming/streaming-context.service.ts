import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { AuditCategory, AuditService } from '../audit/audit.service';
import { ApiKeyService } from '../auth/api-key.service';
import { LockoutService } from '../auth/lockout/lockout.service';
import type { Principal } from '../auth/principal';
import type { Logger } from 'pino';
import { AppException, ROOT_LOGGER, StandardErrors } from '../common';
import { AppConfig } from '../config';
import type { ComputeRequestContext } from '../simulation/client-abort.decorator';
import { Admission, ConnectionRegistry } from './connection-registry';
import { ReplayGuard, timestampMs } from './replay-guard';
import { CloseCode } from './protocol';
import { StreamConnection } from './stream-connection';
import { StreamMetrics } from './stream-metrics';
import { StreamRunner } from './stream-runner';
import { UpgradeGate, mayStream } from './upgrade-gate.service';

const MAX_NONCE_LENGTH = 128;

/** What every connection shares: configuration, metrics, compute, audit and the in-band auth. */
@Injectable()
export class StreamingContext {
  private readonly connections = new Set<StreamConnection>();
  private readonly replay = new ReplayGuard();
  private readonly log: Logger;

  constructor(
    readonly config: AppConfig,
    readonly metrics: StreamMetrics,
    readonly runner: StreamRunner,
    private readonly registry: ConnectionRegistry,
    private readonly gate: UpgradeGate,
    private readonly keys: ApiKeyService,
    private readonly lockout: LockoutService,
    private readonly auditService: AuditService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ logger: 'mfn.streaming' });
  }

  /** One line per connection, at its end (the access record of a stream connection). */
  logClosed(admission: Admission, principal: Principal | undefined, fields: Record<string, number>): void {
    this.log.info({ request_id: admission.requestId, path: admission.path, user_id: principal?.authenticated ? principal.id : undefined, ...fields }, 'stream connection closed');
  }

  /** A message whose handling threw: one error line, the message type and error class only (no stack, no payload). */
  failed(admission: Admission, type: string, err: unknown): void {
    this.log.error({ request_id: admission.requestId, path: admission.path, message_type: type, error: err instanceof Error ? err.name : typeof err }, 'stream message failed');
  }

  /** Moves the connection's cap slot to the key it authenticated with in-band. */
  claimSlot(admission: Admission, tracker: string): boolean {
    return this.registry.transfer(admission, tracker);
  }

  /** A new connection accepted by UpgradeGate. */
  accept(socket: WebSocket, req: IncomingMessage): void {
    const admission = this.registry.admissionOf(req);
    if (admission === undefined) {
      socket.terminate();
      return;
    }
    this.connections.add(new StreamConnection(socket, req, admission, this));
  }

  forget(connection: StreamConnection): void {
    this.connections.delete(connection);
  }

  get open(): number {
    return this.connections.size;
  }

  /** Shutdown: refuse new upgrades and close every connection (1001). */
  closeAll(): void {
    this.gate.stopAccepting();
    for (const c of this.connections) c.shut(CloseCode.GOING_AWAY, 'server shutting down', 'shutdown');
  }

  audit(admission: Admission, principal: Principal | undefined, action: string, category: AuditCategory, details: Record<string, unknown>): void {
    this.auditService.record({
      action,
      category,
      severity: 'WARNING',
      success: false,
      userId: principal?.authenticated ? principal.id : undefined,
      sourceIp: admission.clientIp,
      requestId: admission.requestId,
      resource: admission.path,
      details,
    });
  }

  computeRequest(admission: Admission, principal: Principal, signal: AbortSignal): ComputeRequestContext {
    const keyed = principal.authenticated;
    return {
      signal,
      requestId: admission.requestId,
      caller: { tracker: keyed ? `key:${principal.id}` : admission.tracker, keyId: keyed ? principal.id : undefined, clientIp: admission.clientIp },
      resource: admission.path,
    };
  }

  /**
   * The in-band `auth` message: the brute-force lock, the key (constant-time, ApiKeyService),
   * role `compute`, the timestamp window and single use of (key, timestamp, nonce) (ReplayGuard).
   * A principal, or the message of `auth_failed`.
   */
  inBandAuth(req: IncomingMessage, admission: Admission, p: Record<string, unknown>): Principal | string | Promise<Principal | string> {
    const context = { requestId: admission.requestId, resource: admission.path, sourceIp: admission.clientIp };
    const fail = (reason: string, message: string): string => {
      this.auditService.record({ ...context, action: 'authentication_failure', category: 'authentication', severity: 'WARNING', success: false, details: { reason, in_band: true } });
      return message;
    };
    const attempt = (): Principal | string | Promise<Principal | string> => {
      const key = typeof p.api_key === 'string' ? p.api_key : undefined;
      const result = this.keys.check(key);
      if (result.status !== 'valid') {
        fail(result.status === 'missing' ? 'missing_api_key' : result.status === 'expired' ? 'expired_api_key' : 'invalid_api_key', '');
        const counted = this.countFailure(req);
        return counted instanceof Promise ? counted.then(() => 'Invalid or missing API key') : 'Invalid or missing API key';
      }
      const principal = result.principal;
      if (!mayStream(principal)) {
        this.audit(admission, principal, 'access_denied', 'authorization', { reason: 'insufficient_permissions', required_roles: ['compute'] });
        return 'This API key lacks the role required here (compute)';
      }
      const timestamp = timestampMs(p.timestamp);
      if (timestamp === undefined) return fail('invalid_timestamp', 'timestamp must be the current time in ms (or s)');
      const nonce = p.nonce === undefined ? '' : typeof p.nonce === 'string' && p.nonce.length <= MAX_NONCE_LENGTH ? p.nonce : undefined;
      if (nonce === undefined) return fail('invalid_nonce', `nonce must be a string of at most ${MAX_NONCE_LENGTH} characters`);
      const identity = hash('sha256', key!, 'hex');
      const verdict = this.replay.check(identity, timestamp, nonce);
      if (verdict === 'stale') return fail('stale_timestamp', 'timestamp is outside the 5-minute window');
      if (verdict === 'replayed') {
        this.audit(admission, principal, 'suspicious_activity', 'security', { activity_type: 'auth_replay' });
        return fail('replayed_auth', 'This auth message was already used; send a fresh timestamp or nonce');
      }
      if (verdict === 'busy') return fail('replay_store_full', 'Authentication is busy; retry shortly');
      this.auditService.record({ ...context, action: 'authentication_success', category: 'authentication', userId: principal.id, details: { in_band: true } });
      return principal;
    };
    try {
      const unlocked = this.lockout.whenUnlocked(req as Request, attempt);
      return unlocked instanceof Promise ? unlocked.catch(lockedMessage) : unlocked;
    } catch (err) {
      return lockedMessage(err);
    }
  }

  private countFailure(req: IncomingMessage): void | Promise<void> {
    try {
      const pending = this.lockout.failed(req as Request, StandardErrors.authentication(false));
      return pending.then(undefined, () => undefined);
    } catch {
      return undefined;
    }
  }
}

function lockedMessage(err: unknown): string {
  if (err instanceof AppException && err.getStatus() === 429) return err.message;
  return 'Authentication failed';
}
