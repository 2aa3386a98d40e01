import { Inject, Injectable } from '@nestjs/common';
import { CryptoErrors } from '../crypto.errors';
import { AccessPath, KeyActor, accessPath } from './key-access';
import { KEY_CLOCK, KeyClock } from './key-clock';
import { canonicalGrants, grantOf } from './key-record';
import { KeyDescription, describeKey } from './key-description';
import { KeyRecords, LoadedKey, RecordChange, nextRotation } from './key-records.service';
import { generatedKeyId, newKeyMeta } from './key-resolver.service';
import { GrantableOperation, KeyMeta, KeyRef, KeyType } from './key-types';

export interface KeyConfigPatch {
  minDecryptionVersion?: number;
  minEncryptionVersion?: number;
  deletionAllowed?: boolean;
  autoRotatePeriodS?: number;
}

/** The outcome of a management call, for its audit event. */
export interface Managed<T> {
  result: T;
  meta: KeyMeta;
  path: AccessPath;
}

const COMMIT_ATTEMPTS = 16;
export const MAX_GRANTS_PER_KEY = 32;
export const MIN_AUTO_ROTATE_S = 3600;

/**
 * Key lifecycle: create, describe, list, rotate, configure, trim, delete and the per-key policy.
 * Every change is read–modify–commit on the record's revision, retried when another request or
 * replica committed in between, so concurrent changes are never lost.
 */
@Injectable()
export class KeyLifecycle {
  constructor(
    private readonly records: KeyRecords,
    @Inject(KEY_CLOCK) private readonly clock: KeyClock,
  ) {}

  async create(actor: KeyActor, type: KeyType, keyId: string | undefined, tenant = actor.tenant): Promise<Managed<KeyDescription>> {
    if (tenant !== actor.tenant && !actor.admin) throw CryptoErrors.tenantNotAllowed();
    const ref = { tenant, id: keyId ?? generatedKeyId() };
    const now = this.nowIso();
    const first = this.records.newVersion(ref, type, 1, now);
    const meta = newKeyMeta(ref, type, now);
    const result = await this.records.commit({ meta, putVersions: [[1, first.encoded]], keyDelta: 1, versionDelta: 1 }, true);
    if (result.status === 'exists') throw CryptoErrors.keyExists(ref.id);
    this.throwOnQuota(result.status);
    if (result.status !== 'ok') throw CryptoErrors.contended();
    const path: AccessPath = tenant === actor.tenant ? 'owner' : 'admin';
    return { result: await describeKey(this.records, await this.loadAll(ref), path), meta, path };
  }


  async describe(actor: KeyActor, ref: KeyRef): Promise<Managed<KeyDescription>> {
    // Metadata first: a key the caller may not read answers after one small read, whatever
    // versions it holds (reading them all first would make a foreign key slower than a missing one).
    const head = await this.records.load(ref, []);
    const path = head && accessPath(actor, head.meta, 'read');
    if (!head || !path) throw CryptoErrors.keyNotFound(ref.id);
    const key = await this.loadAll(ref);
    return { result: await describeKey(this.records, key, path), meta: key.meta, path };
  }

  async list(actor: KeyActor, tenant: string, after: string | undefined, limit: number): Promise<{ keys: string[]; next: string | null }> {
    if (tenant !== actor.tenant && !actor.admin) throw CryptoErrors.tenantNotAllowed();
    const ids = await this.records.list(tenant, after, limit + 1);
    const page = ids.slice(0, limit);
    return { keys: page, next: ids.length > limit ? page[page.length - 1] : null };
  }

  /** Adds a version with fresh material; `actor` undefined is the automatic rotation, conditional on revision `onlyRev`. */
  rotate(actor: KeyActor | undefined, ref: KeyRef, onlyRev?: number): Promise<Managed<KeyDescription>> {
    return this.change(actor, ref, (key) => {
      const { meta } = key;
      const stored = meta.latestVersion - meta.minAvailableVersion + 1;
      if (stored >= this.records.quotas.versionsPerKey) throw CryptoErrors.versionCapReached(ref.id, this.records.quotas.versionsPerKey);
      const version = meta.latestVersion + 1;
      const now = this.nowIso();
      const next = this.records.newVersion(ref, meta.type, version, now);
      return {
        meta: { ...meta, rev: meta.rev + 1, latestVersion: version, rotatedAt: now },
        putVersions: [[version, next.encoded]],
        keyDelta: 0,
        versionDelta: 1,
      };
    }, true, onlyRev);
  }

  configure(actor: KeyActor, ref: KeyRef, patch: KeyConfigPatch): Promise<Managed<KeyDescription>> {
    return this.change(actor, ref, ({ meta }) => {
      const next = { ...meta, rev: meta.rev + 1 };
      if (patch.minDecryptionVersion !== undefined) next.minDecryptionVersion = patch.minDecryptionVersion;
      if (patch.minEncryptionVersion !== undefined) next.minEncryptionVersion = patch.minEncryptionVersion;
      if (patch.deletionAllowed !== undefined) next.deletionAllowed = patch.deletionAllowed;
      if (patch.autoRotatePeriodS !== undefined) next.autoRotatePeriodS = patch.autoRotatePeriodS;
      checkConfig(next);
      return { meta: next, keyDelta: 0, versionDelta: 0 };
    });
  }

  /** Destroys versions below `minAvailable` (default: min_decryption_version) for good. */
  trim(actor: KeyActor, ref: KeyRef, minAvailable?: number): Promise<Managed<KeyDescription>> {
    const dropped: number[] = [];
    return this.change(actor, ref, ({ meta }) => {
      const target = minAvailable ?? meta.minDecryptionVersion;
      const ceiling = Math.min(meta.minDecryptionVersion, meta.minEncryptionVersion || meta.minDecryptionVersion);
      if (target < meta.minAvailableVersion || target > ceiling) {
        throw CryptoErrors.configOutOfRange(
          `min_available_version must be between ${meta.minAvailableVersion} (already trimmed below) and ${ceiling} (min_decryption_version / min_encryption_version)`,
        );
      }
      dropped.length = 0;
      for (let v = meta.minAvailableVersion; v < target; v++) dropped.push(v);
      return { meta: { ...meta, rev: meta.rev + 1, minAvailableVersion: target }, dropVersions: [...dropped], keyDelta: 0, versionDelta: -dropped.length };
    }).then((managed) => {
      this.records.forget(ref, dropped);
      return managed;
    });
  }

  /** Crypto-shredding: every version's material is destroyed; data under the key can never be decrypted again. */
  async remove(actor: KeyActor, ref: KeyRef): Promise<Managed<{ versions: number }>> {
    let removed = 0;
    const managed = await this.change(actor, ref, ({ meta }) => {
      if (!meta.deletionAllowed) throw CryptoErrors.deletionNotAllowed(ref.id);
      removed = meta.latestVersion - meta.minAvailableVersion + 1;
      return { meta: { ...meta, rev: meta.rev + 1 }, remove: true, keyDelta: -1, versionDelta: -removed };
    }, false);
    this.records.forget(ref, range(managed.meta.minAvailableVersion, managed.meta.latestVersion));
    return { result: { versions: removed }, meta: managed.meta, path: managed.path };
  }

  setGrant(actor: KeyActor, ref: KeyRef, grantee: string, operations: GrantableOperation[]): Promise<Managed<KeyDescription>> {
    return this.change(actor, ref, ({ meta }) => {
      if (grantee === meta.tenant) throw CryptoErrors.configOutOfRange('The owner tenant holds every operation; grants name other tenants');
      // keys-admin manages other tenants' keys but never uses them: it cannot grant them to itself.
      if (grantee === actor.tenant) throw CryptoErrors.adminSelfGrant();
      const grants = { ...meta.grants, [grantee]: operations };
      if (Object.keys(grants).length > MAX_GRANTS_PER_KEY) {
        throw CryptoErrors.configOutOfRange(`A key may be shared with at most ${MAX_GRANTS_PER_KEY} tenants`);
      }
      return { meta: { ...meta, rev: meta.rev + 1, grants: canonicalGrants(grants) }, keyDelta: 0, versionDelta: 0 };
    });
  }

  revokeGrant(actor: KeyActor, ref: KeyRef, grantee: string): Promise<Managed<KeyDescription>> {
    return this.change(actor, ref, ({ meta }) => {
      // Only the owner and keys-admin get here, so saying there is no such grant leaks nothing.
      if (grantOf(meta.grants, grantee) === undefined) throw CryptoErrors.grantNotFound(grantee, ref.id);
      const grants = Object.fromEntries(Object.entries(meta.grants).filter(([tenant]) => tenant !== grantee));
      return { meta: { ...meta, rev: meta.rev + 1, grants }, keyDelta: 0, versionDelta: 0 };
    });
  }

  /** Automatic rotation of one key, if it is still due (another replica may have rotated it already). */
  async rotateIfDue(ref: KeyRef, now: number): Promise<KeyDescription | undefined> {
    const key = await this.records.load(ref, []);
    const due = key && nextRotation(key.meta);
    if (due === undefined || due > now) return undefined;
    try {
      return (await this.rotate(undefined, ref, key!.meta.rev)).result;
    } catch (err) {
      if (err instanceof StaleRotation) return undefined;
      throw err;
    }
  }

  // ---- internals --------------------------------------------------------------------------

  /**
   * Read–modify–commit with retries. `actor` undefined is the service itself (automatic
   * rotation); `onlyRev` makes the change conditional on that revision (once across replicas).
   */
  private async change(
    actor: KeyActor | undefined,
    ref: KeyRef,
    build: (key: LoadedKey) => RecordChange,
    describeAfter = true,
    onlyRev?: number,
  ): Promise<Managed<KeyDescription>> {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const key = await this.records.load(ref, []);
      const path: AccessPath | undefined = key && (actor ? accessPath(actor, key.meta, 'manage') : 'owner');
      if (!key || !path) throw CryptoErrors.keyNotFound(ref.id);
      if (onlyRev !== undefined && key.meta.rev !== onlyRev) throw new StaleRotation();
      const change = build(key);
      const result = await this.records.commit(change);
      if (result.status === 'missing') throw CryptoErrors.keyNotFound(ref.id);
      this.throwOnQuota(result.status);
      if (result.status === 'ok') {
        const result = describeAfter ? await describeKey(this.records, await this.loadAll(ref), path) : (undefined as unknown as KeyDescription);
        return { result, meta: change.meta, path };
      }
      if (onlyRev !== undefined) throw new StaleRotation();
    }
    throw CryptoErrors.contended();
  }

  private throwOnQuota(status: string): void {
    if (status === 'key_quota') throw CryptoErrors.quotaExceeded(this.records.quotas.keys);
    if (status === 'version_quota') throw CryptoErrors.versionQuotaExceeded(this.records.quotas.versions);
  }

  private async loadAll(ref: KeyRef): Promise<LoadedKey> {
    const key = await this.records.load(ref, 'all');
    if (!key) throw CryptoErrors.keyNotFound(ref.id);
    return key;
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** The automatic rotation lost the race to another replica: nothing to do. */
class StaleRotation extends Error {}

function checkConfig(meta: KeyMeta): void {
  const { minAvailableVersion: avail, latestVersion: latest } = meta;
  if (meta.minDecryptionVersion < avail || meta.minDecryptionVersion > latest) {
    throw CryptoErrors.configOutOfRange(`min_decryption_version must be between ${avail} and the latest version (${latest})`);
  }
  if (meta.minEncryptionVersion !== 0 && (meta.minEncryptionVersion < meta.minDecryptionVersion || meta.minEncryptionVersion > latest)) {
    throw CryptoErrors.configOutOfRange(
      `min_encryption_version must be 0 (any usable version) or between min_decryption_version (${meta.minDecryptionVersion}) and the latest version (${latest})`,
    );
  }
  if (meta.autoRotatePeriodS !== 0 && meta.autoRotatePeriodS < MIN_AUTO_ROTATE_S) {
    throw CryptoErrors.configOutOfRange(`auto_rotate_period must be 0 (off) or at least ${MIN_AUTO_ROTATE_S} seconds`);
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}
