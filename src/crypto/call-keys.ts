import { AppConfig } from '../config';
import { CryptoCaller } from './caller';
import { CryptoActivity, OperationTrace } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { KeyLookups } from './batch-input';
import { KeyRequest, KeyResolver } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { formatVersioned, parseVersioned } from './keys/versioned-value';
import { randomBytes } from 'node:crypto';
import { AuthenticationFailedError, GCM_MIN_SEALED_BYTES, GCM_NONCE_BYTES, aesGcmOpen, aesGcmSeal } from './primitives/aes-gcm';
import { decodeStrictBase64 } from './primitives/base64';

const AES = [KeyType.AES_256_GCM] as const;
export const ENCRYPT = { operation: 'encrypt', types: AES, defaultRole: 'encryption', create: true } as const;
export const DECRYPT = { operation: 'decrypt', types: AES, defaultRole: 'encryption', create: false } as const;
export const REWRAP = { operation: 'rewrap', types: AES, defaultRole: 'encryption', create: false } as const;

export type SealSpec = typeof ENCRYPT | typeof REWRAP;
export type OpenSpec = typeof DECRYPT | typeof REWRAP;

/** A ciphertext made by sealing: the value and the key version that made it. */
export interface Sealed {
  ciphertext: string;
  key_id: string;
  key_version: number;
}

/**
 * AES-GCM sealing and opening for one call, over KeyLookups: each key version is resolved
 * (loaded, checked, unwrapped) once however many batch items name it, and a version that cannot
 * be used gives every item naming it the same error.
 */
export class CallKeys {
  private readonly lookups: KeyLookups;
  /** Versions this call used, for its audit event. */
  readonly versions = new Set<number>();
  /** Nonces of a batch, drawn in one CSPRNG call (see aesGcmSeal); each slice is used once. */
  private nonces?: Buffer;
  private nextNonce = 0;

  constructor(
    private readonly config: AppConfig,
    keys: KeyResolver,
    activity: CryptoActivity,
    caller: CryptoCaller,
    request: KeyRequest,
    private readonly trace: OperationTrace,
  ) {
    this.lookups = new KeyLookups(keys, activity, caller, request, trace);
  }

  /** Encrypts under `version` (default: the latest) of the call's key. */
  async seal(spec: SealSpec, plaintext: Buffer, aad: Buffer | undefined, version?: number): Promise<Sealed> {
    const key = await this.lookups.current(spec, version);
    this.versions.add(key.material.version);
    const sealed = aesGcmSeal(key.material.secretKey!, plaintext, aad, this.takeNonce());
    return { ciphertext: formatVersioned(key.material.version, sealed.toString('base64')), key_id: key.ref.id, key_version: key.material.version };
  }

  /**
   * Opens one versioned ciphertext; DECRYPTION_FAILED for anything that does not open (wrong key,
   * wrong AAD, tampered, retired or trimmed version), without saying which.
   */
  async open(spec: OpenSpec, ciphertext: string, aad: Buffer | undefined): Promise<{ plaintext: Buffer; keyId: string; version: number }> {
    const parsed = parseVersioned(ciphertext);
    let version: number;
    let payload: string;
    if (parsed.kind === 'versioned') {
      ({ version, payload } = parsed);
    } else {
      // The key is resolved first: an unknown or foreign key answers 404 whatever the value.
      const latest = await this.lookups.latestVersionOf(spec);
      if (parsed.kind === 'malformed') throw CryptoErrors.decryptionFailed();
      if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('ciphertext');
      version = latest;
      payload = parsed.payload;
    }
    this.trace.keyVersion = version;
    const { key, ref } = await this.lookups.existing(spec, version);
    const sealed = decodeStrictBase64(payload);
    if (!key || sealed === undefined || sealed.length < GCM_MIN_SEALED_BYTES) throw CryptoErrors.decryptionFailed();
    this.versions.add(version);
    try {
      return { plaintext: aesGcmOpen(key.material.secretKey!, sealed, aad), keyId: ref.id, version };
    } catch (err) {
      if (err instanceof AuthenticationFailedError) throw CryptoErrors.decryptionFailed();
      throw err;
    }
  }

  /** Before a batch of `count` seals: their nonces in one draw. */
  reserveNonces(count: number): void {
    this.nonces = randomBytes(GCM_NONCE_BYTES * count);
    this.nextNonce = 0;
  }

  private takeNonce(): Buffer | undefined {
    if (!this.nonces || this.nextNonce + GCM_NONCE_BYTES > this.nonces.length) return undefined;
    const nonce = this.nonces.subarray(this.nextNonce, this.nextNonce + GCM_NONCE_BYTES);
    this.nextNonce += GCM_NONCE_BYTES;
    return nonce;
  }

  /** After a batch: the trace names one version only when every item used the same one. */
  finishBatch(failed: number): void {
    const used = [...this.versions].sort((a, b) => a - b);
    this.trace.keyVersion = used.length === 1 ? used[0] : undefined;
    this.trace.details = { failed, ...(used.length > 1 ? { key_versions: used } : {}) };
  }

}
