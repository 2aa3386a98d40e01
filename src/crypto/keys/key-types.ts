/** The kinds of key the store holds and what is persisted for each. */
export enum KeyType {
  AES_256_GCM = 'AES-256-GCM',
  ED25519 = 'Ed25519',
  X25519 = 'X25519',
}

/** Which default a key can be: absent `key_id` on encrypt/decrypt, or on sign/verify. */
export type DefaultRole = 'encryption' | 'signing';

/** What a tenant may be granted on another tenant's key; management stays with the owner and admins. */
export const GRANTABLE_OPERATIONS = ['encrypt', 'decrypt', 'sign', 'verify', 'rewrap', 'derive', 'read'] as const;
export type GrantableOperation = (typeof GRANTABLE_OPERATIONS)[number];

/** Everything a caller can do with a key: the grantable operations plus management (rotate, config, trim, delete, grants). */
export type KeyOperation = GrantableOperation | 'manage';

/**
 * Accepted key ids: 1–64 of A-Z a-z 0-9 . _ : -. Wide enough for ids like
 * `billing:2024.q1` and safe in URL paths, Redis key names and logs.
 */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Tenant ids are API-key ids: 1–64 of A-Z a-z 0-9 . _ @ - (never `/` or `:`, so `tenant/key` is unambiguous). */
export const TENANT_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** A key's full name: the owning tenant and the id unique within it. */
export interface KeyRef {
  tenant: string;
  id: string;
}

/**
 * A key's metadata as persisted. Every field is covered by the record MAC (key-record.ts), so a
 * value changed in the store is detected before it is used.
 */
export interface KeyMeta {
  tenant: string;
  id: string;
  type: KeyType;
  createdAt: string;
  /** Increases with every change; the store commits only on top of the revision that was read. */
  rev: number;
  latestVersion: number;
  /** Lowest version still stored (trim removes those below). */
  minAvailableVersion: number;
  /** Versions below this no longer decrypt or verify. */
  minDecryptionVersion: number;
  /** Lowest version encrypt/sign may be asked to use; 0 means the latest only. */
  minEncryptionVersion: number;
  deletionAllowed: boolean;
  /** Seconds between automatic rotations; 0 = never. */
  autoRotatePeriodS: number;
  /** When the latest version was made (auto-rotation counts from here). */
  rotatedAt: string;
  /** Set when this key is its tenant's default for that role. */
  defaultFor?: DefaultRole;
  /** Other tenants' grants, tenant id → operations (sorted, for a stable MAC input). */
  grants: Record<string, GrantableOperation[]>;
}

/** One version as persisted: secret parts only ever wrapped under the master key. */
export interface StoredVersion {
  version: number;
  createdAt: string;
  /** The key's own material (AES key, Ed25519 seed or X25519 private key), wrapped. */
  wrapped: string;
  /** This version's HMAC secret, wrapped. */
  hmacWrapped: string;
  /** Raw public key, base64 (Ed25519 and X25519 only); bound to the wrapped material. */
  publicKey?: string;
}

export function refName(ref: KeyRef): string {
  return `${ref.tenant}/${ref.id}`;
}
