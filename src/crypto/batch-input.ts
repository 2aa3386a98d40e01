import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import { CryptoActivity, OperationTrace } from './crypto-activity';
import type { CryptoCaller } from './caller';
import { KeyMeta, KeyRef } from './keys/key-types';
import { KeyRequest, KeyResolver, UsableKey, checkSealVersion, opensWith } from './keys/key-resolver.service';

/** How an operation names the key it may use (operation, types, default role), as KeyResolver takes it. */
export type KeySpec = Parameters<KeyResolver['current']>[2];

/**
 * A request-shape problem found after the DTO checks (fields that exclude each other, a list over
 * the configured bound): 422 VALIDATION_ERROR with the field, as the validation pipe answers. In a
 * batch item it is that item's error.
 */
export function fieldError(field: string, message: string): AppException {
  return new AppException(ErrorCode.VALIDATION_ERROR, message, HttpStatus.UNPROCESSABLE_ENTITY, { details: [{ field, message }] });
}

/**
 * The items of a `batch_input`, or undefined for a single call. Per-item fields given at the top
 * level beside `batch_input` are refused (they would silently apply to nothing), and so is a list
 * longer than MFN_CRYPTO_MAX_BATCH_ITEMS.
 */
export function batchItemsOf(batch: readonly unknown[] | undefined, perItem: Record<string, unknown>, maxItems: number): readonly unknown[] | undefined {
  if (batch === undefined) return undefined;
  for (const [name, value] of Object.entries(perItem)) {
    if (value !== undefined) throw fieldError(`body.${name}`, `${name} belongs in each batch_input item, not beside batch_input`);
  }
  if (batch.length > maxItems) throw fieldError('body.batch_input', `batch_input holds at most ${maxItems} items`);
  return batch;
}

/** Marks a finished batch in the operation's single audit event. */
export function noteBatch(trace: OperationTrace, size: number, failed: number): void {
  trace.batchSize = size;
  // Items may use different versions: the event names the key, not one version.
  trace.keyVersion = undefined;
  trace.details = { ...trace.details, failed };
}

/**
 * The key lookups of one call. A batch names the same key in every item, so each distinct
 * (spec, version) is resolved once and shared by the items that use it; the first resolution
 * notes the key in the trace and audits a default key it created. Once a spec has resolved the
 * key, a version outside the key's range is answered from that metadata without another store
 * read: a batch costs at most one read per stored version, however many versions its items name.
 */
export class KeyLookups {
  private readonly resolved = new Map<string, Promise<unknown>>();
  /** The key's metadata as the first resolution of each spec read it. */
  private readonly metas = new Map<string, KeyMeta>();

  constructor(
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
    private readonly caller: CryptoCaller,
    private readonly request: KeyRequest,
    private readonly trace: OperationTrace,
  ) {}

  /** The version new values are made with (`version`, else the latest). */
  current(spec: KeySpec, version?: number): Promise<UsableKey> {
    const known = this.metas.get(specName(spec));
    if (known && version !== undefined) {
      try {
        checkSealVersion(known, version);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.once(`current/${specName(spec)}/${version ?? 'latest'}`, async () => {
      const key = await this.keys.current(this.caller.actor, this.request, spec, version);
      this.metas.set(specName(spec), key.meta);
      this.note(key);
      this.activity.defaultCreated(this.caller, key);
      return key;
    });
  }

  /** The version that made a value; `key` is undefined for a retired, trimmed or future version. */
  existing(spec: KeySpec, version: number): Promise<{ key?: UsableKey; ref: KeyRef }> {
    const known = this.metas.get(specName(spec));
    if (known && !opensWith(known, version)) return Promise.resolve({ ref: { tenant: known.tenant, id: known.id } });
    return this.once(`existing/${specName(spec)}/${version}`, async () => {
      const found = await this.keys.existing(this.caller.actor, this.request, spec, version);
      this.metas.set(specName(spec), found.meta);
      this.trace.keyId = found.ref.id;
      this.trace.tenant = found.ref.tenant;
      if (found.key) this.note(found.key);
      return found;
    });
  }

  /** Resolves the key (404 for unknown or foreign keys) and answers its latest version. */
  latestVersionOf(spec: KeySpec): Promise<number> {
    return this.once(`latest/${specName(spec)}`, () => this.keys.latestVersionOf(this.caller.actor, this.request, spec));
  }

  private note(key: UsableKey): void {
    this.trace.keyId = key.ref.id;
    this.trace.tenant = key.ref.tenant;
    this.trace.keyVersion = key.material.version;
    this.trace.path = key.path;
  }

  private once<T>(name: string, resolve: () => Promise<T>): Promise<T> {
    let hit = this.resolved.get(name) as Promise<T> | undefined;
    if (!hit) {
      hit = resolve();
      this.resolved.set(name, hit);
      // Awaited by the item that asked; later items asking again get the same answer.
      hit.catch(() => undefined);
    }
    return hit;
  }
}

function specName(spec: KeySpec): string {
  return `${spec.operation}:${spec.defaultRole}:${spec.types?.join('+') ?? 'any'}`;
}
