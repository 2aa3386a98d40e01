import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { AppConfig } from '../config';
import { MAX_RESOURCE_LENGTH, ROOT_LOGGER, auditLevelOf, cutText, redactDetails, redactIp, redactedClientIpOf, requestIdOf, requestState } from '../common';
import { MetricsService } from '../metrics/metrics.service';

export type AuditSeverity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type AuditCategory = 'authentication' | 'authorization' | 'data_access' | 'configuration' | 'security' | 'api';

export interface AuditEventInput {
  action: string;
  category?: AuditCategory;
  severity?: AuditSeverity;
  success?: boolean;
  userId?: string;
  resource?: string;
  sourceIp?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

const MAX_EVENT_KINDS = 256;

/**
 * The events every served authenticated request writes. With MFN_AUDIT_GRANTED_EVENTS=folded they
 * are carried by the request's access record (access-log.middleware.ts) instead of two lines.
 */
export const FOLDABLE_ACTIONS: readonly string[] = ['authentication_success', 'access_granted'];
export { MAX_RESOURCE_LENGTH };

const LEVEL: Record<AuditSeverity, 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
};

/**
 * Security audit events as structured JSON lines on the `mfn.security.audit`
 * logger, always at INFO or below whatever MFN_LOG_LEVEL says. IPs and details are redacted here,
 * whatever the caller passes; `user_id` is the principal's id as is (a configured key name or the
 * key's 8-hex fingerprint, never key material), so tenants stay apart in the trail. Events:
 * authentication_success/failure, access_granted/denied, rate_limit_exceeded, suspicious_activity,
 * and the crypto module's own.
 *
 * A request writes at most one event of each action: the audit output of a request is bounded by
 * the (fixed) vocabulary of actions, not by its input. Later events of an action the request
 * already recorded are dropped and counted in `mfn_audit_events_dropped_total{action}`.
 */
@Injectable()
export class AuditService {
  private readonly log: Logger;
  private readonly byKind = new Map<string, Logger>();
  private readonly fold: boolean;

  constructor(
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.fold = config.audit.grantedEvents === 'folded';
    const level = auditLevelOf(logger);
    // record() builds every field itself and redacts ids, addresses and details, so the root
    // logger's path redaction (the costliest step of a log line) would only repeat that work.
    this.log = logger.child({ logger: 'mfn.security.audit' }, { level, redact: [] });
  }

  record(event: AuditEventInput): void {
    this.write(event, event.requestId, event.sourceIp === undefined ? undefined : redactIp(event.sourceIp), event.resource);
  }

  /**
   * Same, filling request id, source address and resource (the path) from the request. The first
   * event of each action per request is written; a repeat is dropped and counted.
   */
  recordForRequest(req: Request, event: AuditEventInput): void {
    const state = requestState(req);
    const recorded = state.auditedActions;
    if (recorded === undefined) {
      state.auditedActions = [event.action];
    } else if (recorded.includes(event.action)) {
      this.metrics.auditEventDropped(event.action);
      return;
    } else {
      recorded.push(event.action);
    }
    if (this.fold && FOLDABLE_ACTIONS.includes(event.action) && (event.severity ?? 'INFO') === 'INFO' && event.details === undefined) {
      const folded = (state.foldedAudit ??= { actions: [], userId: undefined });
      folded.actions.push(event.action);
      folded.userId ??= event.userId;
      return;
    }
    this.write(
      event,
      event.requestId ?? requestIdOf(req),
      event.sourceIp === undefined ? redactedClientIpOf(req) : redactIp(event.sourceIp),
      event.resource ?? req.path,
    );
  }

  /** `authentication_failure` (WARNING) with its reason: a missing or wrong API key or metrics token. */
  authenticationFailure(req: Request, reason: string): void {
    this.recordForRequest(req, {
      action: 'authentication_failure',
      category: 'authentication',
      severity: 'WARNING',
      success: false,
      details: { reason },
    });
  }

  private write(event: AuditEventInput, requestId?: string, sourceIp?: string, resource?: string): void {
    const severity = event.severity ?? 'INFO';
    const log = this.eventLogger(event.action, event.category ?? 'api', severity, event.success ?? true);
    const record: Record<string, unknown> = {};
    if (event.userId !== undefined) record.user_id = event.userId;
    // The path is the client's: a 15 KB one must not make every audit line 15 KB.
    if (resource !== undefined) record.resource = cutText(resource, MAX_RESOURCE_LENGTH);
    if (sourceIp !== undefined) record.source_ip = sourceIp;
    if (requestId !== undefined) record.request_id = requestId;
    if (event.details !== undefined) record.details = redactDetails(event.details);
    // eslint-disable-next-line security/detect-object-injection -- `severity` is an AuditSeverity and LEVEL a Record over that closed union
    log[LEVEL[severity]](record, event.action);
  }

  /**
   * The fixed fields of an event kind (`audit_event`, action, severity, category, success) as a
   * child logger's bindings: pino serialises them once, not on every event of that kind.
   */
  private eventLogger(action: string, category: AuditCategory, severity: AuditSeverity, success: boolean): Logger {
    const key = `${action}|${category}|${severity}|${success}`;
    let log = this.byKind.get(key);
    if (log === undefined) {
      log = this.log.child({ audit_event: true, action, severity, category, success });
      // Event kinds are a fixed vocabulary in code; the bound only guards against misuse.
      if (this.byKind.size < MAX_EVENT_KINDS) this.byKind.set(key, log);
    }
    return log;
  }
}

