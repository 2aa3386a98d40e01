import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { CryptoCaller } from './caller';
import { KeyIntegrityError } from './crypto.errors';
import type { AccessPath } from './keys/key-access';
import type { UsableKey } from './keys/key-resolver.service';

/** What an operation learnt while running, for its audit event. */
export interface OperationTrace {
  keyId: string;
  /** Owner tenant of the key used (the caller's own unless shared or administered). */
  tenant: string;
  algorithm: string;
  keyVersion?: number;
  /** Items of a batch_input (absent for single calls). */
  batchSize?: number;
  path?: AccessPath;
  details?: Record<string, unknown>;
}

/** Key lifecycle actions, always audited (category configuration). */
export type KeyEvent =
  | 'key_created'
  | 'key_rotated'
  | 'key_config_updated'
  | 'key_trimmed'
  | 'key_deleted'
  | 'key_grant_set'
  | 'key_grant_revoked'
  | 'key_read';

/**
 * Bookkeeping shared by every crypto route: the `mfn_crypto_operations_total` count, the
 * `crypto_operation` audit event (MFN_CRYPTO_AUDIT_LOG) naming tenant, key, version and batch
 * size — never material — and the always-on events: failed decryptions (WARNING), records that
 * failed their integrity check (ERROR), key lifecycle and keys-admin actions.
 */
@Injectable()
export class CryptoActivity {
  constructor(
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async run<T>(
    operation: string,
    caller: CryptoCaller,
    start: { keyId?: string; tenant?: string; algorithm: string },
    body: (trace: OperationTrace) => Promise<T>,
  ): Promise<T> {
    const trace: OperationTrace = { keyId: start.keyId ?? 'default', tenant: start.tenant ?? caller.actor.tenant, algorithm: start.algorithm };
    try {
      const result = await body(trace);
      this.metrics.cryptoOperation(operation, true);
      if (this.config.crypto.auditLog) this.operationEvent(operation, caller, trace);
      return result;
    } catch (err) {
      this.metrics.cryptoOperation(operation, false);
      const error = err instanceof AppException ? err.code : 'INTERNAL_ERROR';
      if (this.config.crypto.auditLog) this.operationEvent(operation, caller, trace, error);
      if (err instanceof KeyIntegrityError) this.integrityEvent(caller, err);
      else if ((operation === 'decrypt' || operation === 'rewrap') && error !== 'INTERNAL_ERROR') {
        this.audit.recordForRequest(caller.req, {
          action: 'decryption_failed',
          category: 'security',
          severity: 'WARNING',
          success: false,
          userId: caller.actor.userId,
          details: { tenant: trace.tenant, key_id: trace.keyId, key_version: trace.keyVersion, error },
        });
      }
      throw err;
    }
  }

  /** A key lifecycle action; keys-admin acting on another tenant's key is marked as such. */
  keyEvent(action: KeyEvent, caller: CryptoCaller, target: { tenant: string; keyId: string; path?: AccessPath }, details: Record<string, unknown> = {}): void {
    const admin = target.path === 'admin';
    this.audit.recordForRequest(caller.req, {
      action,
      category: 'configuration',
      severity: admin ? 'WARNING' : 'INFO',
      success: true,
      userId: caller.actor.userId,
      details: {
        tenant: target.tenant,
        key_id: target.keyId,
        ...details,
        ...(admin ? { acting_tenant: caller.actor.tenant, as: 'keys-admin' } : {}),
      },
    });
  }

  /** The tenant's default key was made by this call. */
  defaultCreated(caller: CryptoCaller, key: UsableKey): void {
    if (!key.createdDefault) return;
    this.keyEvent('key_created', caller, { tenant: key.ref.tenant, keyId: key.ref.id }, { type: key.meta.type, version: 1, default: key.meta.defaultFor });
  }

  private operationEvent(operation: string, caller: CryptoCaller, trace: OperationTrace, error?: string): void {
    const details: Record<string, unknown> = {
      operation,
      tenant: trace.tenant,
      key_id: trace.keyId,
      algorithm: trace.algorithm,
      success: error === undefined,
    };
    if (trace.tenant !== caller.actor.tenant) details.acting_tenant = caller.actor.tenant;
    if (trace.keyVersion !== undefined) details.key_version = trace.keyVersion;
    if (trace.batchSize !== undefined) details.batch_size = trace.batchSize;
    if (error !== undefined) details.error = error;
    if (trace.details) Object.assign(details, trace.details);
    this.audit.recordForRequest(caller.req, {
      action: 'crypto_operation',
      category: 'data_access',
      severity: error === undefined ? 'INFO' : 'WARNING',
      success: error === undefined,
      userId: caller.actor.userId,
      details,
    });
  }

  private integrityEvent(caller: CryptoCaller, err: KeyIntegrityError): void {
    this.audit.recordForRequest(caller.req, {
      action: 'key_record_tampered',
      category: 'security',
      severity: 'ERROR',
      success: false,
      userId: caller.actor.userId,
      details: { tenant: err.ref.tenant, key_id: err.ref.id, reason: err.reason },
    });
  }
}
