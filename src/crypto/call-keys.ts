import { AppConfig } from '../config';
import { CryptoCaller } from './caller';
import { CryptoActivity, OperationTrace } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { KeyRequest, KeyResolver, UsableKey } from './keys/key-resolver.service';
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
 * The key versions one call uses, each resolved (loaded, checked, unwrapped) once however many
 * batch items name it. A version that cannot be used (out of range, retired) is remembered as
 * the error it gave, so every item naming it fails alike; errors about the key itself (missing,
 * store down) fail the call.
 */
export class CallKeys {
  private readonly current = new Map<number | 'latest', Promise<UsableKey>>();
  private readonly existing = new Map<number, Promise<{ key?: UsableKey; ref: { tenant: string; id: string } }>>();
  private latest?: Promise<number>;
  /** Versions this call used, for its audit event. */
  readonly versions = new Set<number>();
  /** Nonces of a batch, drawn in one CSPRNG call (see aesGcmSeal); each slice is used once. */
  private nonces?: Buffer;
  private nextNonce = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
    private readonly caller: CryptoCaller,
    private readonly request: KeyRequest,
    private readonly trace: OperationTrace,
  ) {}

  /** Encrypts under `version` (default: the latest) of the call's key. */
  async seal(spec: SealSpec, plaintext: Buffer, aad: Buffer | undefined, version?: number): Promise<Sealed> {
    const slot = version ?? 'latest';
    let pending = this.current.get(slot);
    if (pending === undefined) {
      pending = this.keys.current(this.caller.actor, this.request, spec, version).then((key) => {
        this.activity.defaultCreated(this.caller, key);
        return key;
      });
      this.current.set(slot, pending);
    }
    const key = await pending;
    this.note(key);
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
    } else if (parsed.kind === 'bare') {
      // The key is resolved first: an unknown or foreign key answers 404 whatever the value.
      this.latest ??= this.keys.latestVersionOf(this.caller.actor, this.request, spec);
      version = await this.latest;
      if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('ciphertext');
      payload = parsed.payload;
    } else {
      throw CryptoErrors.decryptionFailed();
    }
    this.trace.keyVersion = version;
    let pending = this.existing.get(version);
    if (pending === undefined) {
      pending = this.keys.existing(this.caller.actor, this.request, spec, version);
      this.existing.set(version, pending);
    }
    const { key, ref } = await pending;
    this.trace.keyId = ref.id;
    this.trace.tenant = ref.tenant;
    const sealed = decodeStrictBase64(payload);
    if (!key || sealed === undefined || sealed.length < GCM_MIN_SEALED_BYTES) throw CryptoErrors.decryptionFailed();
    this.trace.path = key.path;
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

  private note(key: UsableKey): void {
    this.trace.keyId = key.ref.id;
    this.trace.tenant = key.ref.tenant;
    this.trace.keyVersion = key.material.version;
    this.trace.path = key.path;
    this.versions.add(key.material.version);
  }
}
