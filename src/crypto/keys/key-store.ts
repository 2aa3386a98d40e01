import { DefaultRole, KeySnapshot, StoredKey, StoredKeyMeta, StoredKeyVersion } from './key-types';

export interface CreateKeyRequest {
  /** Metadata of the new key; latestVersion and minDecryptionVersion are 1. */
  meta: StoredKeyMeta;
  firstVersion: StoredKeyVersion;
  /** Maximum keys `meta.owner` may hold; checked and counted atomically with the creation. */
  quota?: number;
  /**
   * `claim`: create the key only if no default of this role exists yet, and make it the default
   * (first use of encrypt/sign). `if_absent`: always create; become the default only if there is none.
   */
  default?: { role: DefaultRole; mode: 'claim' | 'if_absent' };
}

export type CreateKeyResult =
  | { status: 'created' }
  | { status: 'exists' }
  | { status: 'quota_exceeded' }
  /** Another request (or replica) created the default first: use that one. */
  | { status: 'default_exists'; id: string };

export type AddVersionResult = 'ok' | 'conflict' | 'missing';
export type SetMinVersionResult = 'ok' | 'missing' | 'out_of_range';

/** The store could not be reached (Redis down or timing out). */
export class KeyStoreUnavailableError extends Error {
  constructor(readonly causeName: string) {
    super('key store unavailable');
    this.name = 'KeyStoreUnavailableError';
  }
}

/**
 * Persistence of named, versioned keys. Every mutation is atomic in the backing store, so
 * replicas sharing a store never lose a version or exceed a quota under concurrency. Versions
 * are immutable once written; only `latestVersion` and `minDecryptionVersion` change.
 */
export interface KeyStore {
  readonly backend: 'memory' | 'redis';
  /** Metadata and one version (latest when `version` is omitted). */
  read(id: string, version?: number): Promise<KeySnapshot | undefined>;
  /** Metadata and every version, oldest first. */
  readAll(id: string): Promise<StoredKey | undefined>;
  create(request: CreateKeyRequest): Promise<CreateKeyResult>;
  /** Appends version `expectedLatest + 1` if the latest version is still `expectedLatest`. */
  addVersion(id: string, expectedLatest: number, version: StoredKeyVersion): Promise<AddVersionResult>;
  setMinDecryptionVersion(id: string, minVersion: number): Promise<SetMinVersionResult>;
  getDefault(role: DefaultRole): Promise<string | undefined>;
  /** The master key-check value, absent until the first key is written. */
  getCheckValue(): Promise<string | undefined>;
  /** Stores `candidate` as the master key-check value unless one exists; returns the stored value. */
  ensureCheckValue(candidate: string): Promise<string>;
}
