import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CryptoErrors, KeyIntegrityError } from '../crypto.errors';
import { AccessPath, KeyActor, accessPath } from './key-access';
import { KeyMaterial } from './key-material';
import { KeyRecords, LoadedKey } from './key-records.service';
import { BoundedCache } from './bounded-cache';
import { KEY_CLOCK, KeyClock } from './key-clock';
import { DefaultRole, GrantableOperation, KeyMeta, KeyRef, KeyType } from './key-types';

/** How an operation names its key: an id (own tenant unless `tenant` names the owner), or nothing for the default. */
export interface KeyRequest {
  keyId?: string;
  tenant?: string;
}

/** A key version ready for one operation. */
export interface UsableKey {
  ref: KeyRef;
  meta: KeyMeta;
  material: KeyMaterial;
  path: AccessPath;
  /** True when this call created the tenant's default key (worth an audit event). */
  createdDefault: boolean;
}

interface UseSpec {
  operation: GrantableOperation;
  /** Acceptable key types; undefined accepts every type (HMAC). */
  types?: readonly KeyType[];
  /** The default used without a key id; created on first use when `create` is set. */
  defaultRole: DefaultRole;
  create: boolean;
}

const TYPE_NAME: Record<KeyType, string> = {
  [KeyType.AES_256_GCM]: 'an AES-256-GCM encryption',
  [KeyType.ED25519]: 'an Ed25519 signing',
  [KeyType.X25519]: 'an X25519 key-agreement',
};
const DEFAULT_TYPE: Record<DefaultRole, KeyType> = { encryption: KeyType.AES_256_GCM, signing: KeyType.ED25519 };
const DEFAULT_ID_CACHE = 4096;

export function generatedKeyId(): string {
  return `key_${randomBytes(16).toString('hex')}`;
}

/**
 * Finds the key version an operation uses, applying tenancy (another tenant's key answers
 * exactly as a missing one unless its policy grants the operation), key types and the key's
 * version rules. Each tenant's default keys are created here on first use, once across replicas.
 */
@Injectable()
export class KeyResolver {
  private readonly defaultIds = new BoundedCache<string, string>(DEFAULT_ID_CACHE);

  constructor(
    private readonly records: KeyRecords,
    @Inject(KEY_CLOCK) private readonly clock: KeyClock,
  ) {}

  /** The version new data is encrypted/signed/MACed with: `version`, else the latest. */
  async current(actor: KeyActor, request: KeyRequest, spec: UseSpec, version?: number): Promise<UsableKey> {
    const found = await this.find(actor, request, spec, version === undefined ? 'latest' : [version]);
    const chosen = version ?? found.key.meta.latestVersion;
    checkSealVersion(found.key.meta, chosen);
    return this.usable(found, chosen);
  }

  /**
   * The version that made a ciphertext/signature/HMAC. A version that is retired, trimmed or not
   * yet made is undefined: callers answer as for a value that does not open.
   */
  async existing(actor: KeyActor, request: KeyRequest, spec: UseSpec, version: number): Promise<{ key?: UsableKey; ref: KeyRef; meta: KeyMeta }> {
    const found = await this.find(actor, request, spec, [version]);
    const { meta } = found.key;
    if (!opensWith(meta, version)) return { ref: found.ref, meta };
    return { key: await this.usable(found, version), ref: found.ref, meta };
  }

  /** Latest version of a key for legacy unprefixed values (MFN_CRYPTO_ACCEPT_UNVERSIONED). */
  async latestVersionOf(actor: KeyActor, request: KeyRequest, spec: UseSpec): Promise<number> {
    const found = await this.find(actor, request, spec, 'latest');
    return found.key.meta.latestVersion;
  }

  private async usable(found: { ref: KeyRef; key: LoadedKey; path: AccessPath; created: boolean }, version: number): Promise<UsableKey> {
    const stored = found.key.versions.get(version);
    if (!stored) throw new KeyIntegrityError(found.ref, 'version');
    return {
      ref: found.ref,
      meta: found.key.meta,
      material: await this.records.material(found.key.meta, stored),
      path: found.path,
      createdDefault: found.created,
    };
  }

  private async find(
    actor: KeyActor,
    request: KeyRequest,
    spec: UseSpec,
    versions: 'latest' | number[],
  ): Promise<{ ref: KeyRef; key: LoadedKey; path: AccessPath; created: boolean }> {
    const tenant = request.tenant ?? actor.tenant;
    if (request.keyId === undefined) {
      if (tenant !== actor.tenant) throw CryptoErrors.tenantRequiresKeyId();
      return this.findDefault(actor, spec, versions);
    }
    const ref = { tenant, id: request.keyId };
    const key = await this.records.load(ref, versions, (meta) => accessPath(actor, meta, spec.operation) !== undefined);
    const path = key && accessPath(actor, key.meta, spec.operation);
    if (!key || !path) throw CryptoErrors.keyNotFound(ref.id);
    if (spec.types && !spec.types.includes(key.meta.type)) throw CryptoErrors.wrongKeyType(ref.id, TYPE_NAME[spec.types[0]]);
    return { ref, key, path, created: false };
  }

  private async findDefault(
    actor: KeyActor,
    spec: UseSpec,
    versions: 'latest' | number[],
  ): Promise<{ ref: KeyRef; key: LoadedKey; path: AccessPath; created: boolean }> {
    const cacheKey = `${actor.tenant}\u0000${spec.defaultRole}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      let id = this.defaultIds.get(cacheKey) ?? (await this.records.defaultOf(actor.tenant, spec.defaultRole));
      let created = false;
      if (id === undefined) {
        if (!spec.create) throw spec.operation === 'verify' ? CryptoErrors.noVerificationKey() : CryptoErrors.noDecryptionKey();
        ({ id, created } = await this.createDefault(actor.tenant, spec.defaultRole));
      }
      const ref = { tenant: actor.tenant, id };
      const key = await this.records.load(ref, versions);
      if (!key) {
        // Deleted since it was cached (or on another replica): look it up again.
        this.defaultIds.delete(cacheKey);
        continue;
      }
      // The default pointer is not sealed; the record it points at must say it is the default.
      if (key.meta.defaultFor !== spec.defaultRole) throw new KeyIntegrityError(ref, 'default');
      this.defaultIds.set(cacheKey, id);
      return { ref, key, path: 'owner', created };
    }
    throw CryptoErrors.contended();
  }

  /** Creates the tenant's default of `role` unless another request or replica did first. */
  private async createDefault(tenant: string, role: DefaultRole): Promise<{ id: string; created: boolean }> {
    const id = generatedKeyId();
    // eslint-disable-next-line security/detect-object-injection -- `role` is a DefaultRole and DEFAULT_TYPE a Record over that closed union
    const type = DEFAULT_TYPE[role];
    const now = new Date(this.clock.now()).toISOString();
    const ref = { tenant, id };
    const first = this.records.newVersion(ref, type, 1, now);
    const meta = newKeyMeta(ref, type, now, { defaultFor: role });
    const result = await this.records.commit(
      { meta, putVersions: [[1, first.encoded]], keyDelta: 1, versionDelta: 1, claimDefault: role },
      true,
    );
    if (result.status === 'default_exists') return { id: result.id, created: false };
    if (result.status === 'key_quota') throw CryptoErrors.quotaExceeded(this.records.quotas.keys);
    if (result.status === 'version_quota') throw CryptoErrors.versionQuotaExceeded(this.records.quotas.versions);
    if (result.status !== 'ok') throw CryptoErrors.contended();
    return { id, created: true };
  }
}

/** Refuses (400) a `key_version` new values may not be made with: below the key's minimums or past its latest. */
export function checkSealVersion(meta: KeyMeta, version: number): void {
  const low = Math.max(meta.minEncryptionVersion, meta.minDecryptionVersion, meta.minAvailableVersion);
  if (version < low || version > meta.latestVersion) throw CryptoErrors.keyVersionOutOfRange(Math.min(low, meta.latestVersion), meta.latestVersion);
}

/** Whether values made by `version` still open or verify: not retired, not trimmed, already made. */
export function opensWith(meta: KeyMeta, version: number): boolean {
  return version >= Math.max(meta.minDecryptionVersion, meta.minAvailableVersion) && version <= meta.latestVersion;
}

/** Metadata of a new key at version 1. */
export function newKeyMeta(ref: KeyRef, type: KeyType, createdAt: string, extra: Partial<KeyMeta> = {}): KeyMeta {
  return {
    tenant: ref.tenant,
    id: ref.id,
    type,
    createdAt,
    rev: 1,
    latestVersion: 1,
    minAvailableVersion: 1,
    minDecryptionVersion: 1,
    minEncryptionVersion: 0,
    deletionAllowed: false,
    autoRotatePeriodS: 0,
    rotatedAt: createdAt,
    grants: {},
    ...extra,
  };
}
