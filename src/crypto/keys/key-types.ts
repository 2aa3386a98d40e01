/** The kinds of key the store holds and what is persisted for each. */
export enum KeyType {
  AES_256_GCM = 'AES-256-GCM',
  ED25519 = 'Ed25519',
  X25519 = 'X25519',
}

/** Which default a key can be: absent `key_id` on encrypt/decrypt, or on sign/verify. */
export type DefaultRole = 'encryption' | 'signing';

/** `key_` + 32 lowercase hex characters, as generated ids look. */
export const GENERATED_KEY_ID = /^key_[0-9a-f]{32}$/;

/**
 * Accepted key ids: 1–64 of A-Z a-z 0-9 . _ : -. Wide enough for ids like
 * `billing:2024.q1` and safe in URL paths, Redis key names and logs.
 */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** One version of a key as persisted: the secret part only ever wrapped under the master key. */
export interface StoredKeyVersion {
  version: number;
  createdAt: string;
  /** base64(nonce ‖ AES-256-GCM(master key, secret material) ‖ tag), AAD binds id, version and type. */
  wrapped: string;
  /** Raw public key, base64 (Ed25519 and X25519 only). */
  publicKey?: string;
}

/** Key metadata as persisted. */
export interface StoredKeyMeta {
  id: string;
  type: KeyType;
  createdAt: string;
  /** Opaque hash of the creating caller's identity, for the per-caller quota (absent for defaults). */
  owner?: string;
  latestVersion: number;
  /** Versions below this no longer decrypt or verify. */
  minDecryptionVersion: number;
}

/** Metadata plus one version (the latest unless a specific one was asked for; absent if unknown). */
export interface KeySnapshot {
  meta: StoredKeyMeta;
  version?: StoredKeyVersion;
}

export interface StoredKey {
  meta: StoredKeyMeta;
  versions: StoredKeyVersion[];
}
