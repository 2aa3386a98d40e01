import type { DefaultRole, KeyRef } from './key-types';

/** Injection token of the key store (memory or Redis, chosen by key-store.provider.ts). */
export const KEY_STORE = Symbol('KEY_STORE');

/**
 * A record as the store holds it: opaque strings the store neither parses nor trusts. `rev` and
 * `latest` are kept in the clear beside the sealed metadata so the store can compare-and-set and
 * find the latest version in one step; both are checked against the sealed metadata after reading.
 */
export interface RawKeyRecord {
  rev: number;
  latest: number;
  meta: string;
  mac: string;
  /** Serialized versions that were asked for and exist. */
  versions: Map<number, string>;
}

/** Which versions to read with the metadata. */
export type VersionSelection = 'latest' | 'all' | number[];

export interface TenantQuotas {
  keys: number;
  versions: number;
}

/** One atomic change of one record, with its effect on the tenant's usage counters. */
export interface KeyCommit {
  ref: KeyRef;
  /** Revision the change was built on; undefined creates the record (fails if it exists). */
  expectedRev?: number;
  rev: number;
  latest: number;
  meta: string;
  mac: string;
  putVersions?: Array<[number, string]>;
  dropVersions?: number[];
  /** Removes the record, its index entry, rotation schedule and default pointer. */
  remove?: boolean;
  keyDelta: number;
  versionDelta: number;
  /** Limits checked when a delta is positive. */
  quotas: TenantQuotas;
  /** Creation only: become the tenant's default of this role, unless one exists (then nothing is written). */
  claimDefault?: DefaultRole;
  /** The default role this key holds (to clear the pointer on removal). */
  defaultRole?: DefaultRole;
  /** Epoch ms of the next automatic rotation; undefined unschedules. */
  rotateAt?: number;
}

export type CommitResult =
  | { status: 'ok' }
  | { status: 'conflict' }
  | { status: 'exists' }
  | { status: 'missing' }
  | { status: 'key_quota' }
  | { status: 'version_quota' }
  /** Another request (or replica) created the default first: use that one. */
  | { status: 'default_exists'; id: string };

export interface TenantUsage {
  keys: number;
  versions: number;
}

/** The store could not be reached (Redis down or timing out). */
export class KeyStoreUnavailableError extends Error {
  constructor(readonly causeName: string) {
    super('key store unavailable');
    this.name = 'KeyStoreUnavailableError';
  }
}

/**
 * Persistence of tenants' named, versioned keys. The store is deliberately dumb: it keeps sealed
 * strings, applies each commit atomically (compare-and-set on the revision, quotas counted in the
 * same step) so replicas never lose a version or exceed a quota, and never decides anything about
 * access or integrity; key-records.ts does.
 */
export interface KeyStore {
  readonly backend: 'memory' | 'redis';
  read(ref: KeyRef, versions: VersionSelection): Promise<RawKeyRecord | undefined>;
  commit(change: KeyCommit): Promise<CommitResult>;
  /** Key ids of a tenant in byte order, after `after` (exclusive), at most `limit`. */
  list(tenant: string, after: string | undefined, limit: number): Promise<string[]>;
  usage(tenant: string): Promise<TenantUsage>;
  getDefault(tenant: string, role: DefaultRole): Promise<string | undefined>;
  /** Keys whose automatic rotation is due at `now` (epoch ms), earliest first: at most `limit`, after the first `skip`. */
  dueForRotation(now: number, limit: number, skip?: number): Promise<KeyRef[]>;
  /** The master key-check value, absent until the first key is written. */
  getCheckValue(): Promise<string | undefined>;
  /** Stores `candidate` as the master key-check value unless one exists; returns the stored value. */
  ensureCheckValue(candidate: string): Promise<string>;
}
