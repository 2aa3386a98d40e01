import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config';
import { CryptoCaller } from './caller';
import { CryptoActivity, OperationTrace } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { DecryptRequestDto, DecryptResponseDto, EncryptRequestDto, EncryptResponseDto } from './dto/crypto.dto';
import { MAX_DECODED_BYTES } from './dto/validators';
import { KeyRequest, KeyResolver, UsableKey } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { formatVersioned, parseVersioned } from './keys/versioned-value';
import { AuthenticationFailedError, GCM_MIN_SEALED_BYTES, aesGcmOpen, aesGcmSeal } from './primitives/aes-gcm';
import { decodeStrictBase64 } from './primitives/base64';

const AES = [KeyType.AES_256_GCM] as const;
export const ENCRYPT = { operation: 'encrypt', types: AES, defaultRole: 'encryption', create: true } as const;
export const DECRYPT = { operation: 'decrypt', types: AES, defaultRole: 'encryption', create: false } as const;

/** Bytes of a field the DTO already checked to be strict base64. */
export function decoded(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

export function keyRequestOf(dto: { key_id?: string; tenant?: string }): KeyRequest {
  return { keyId: dto.key_id, tenant: dto.tenant };
}

/** Notes the key an operation resolved in its trace. */
export function noteKey(trace: OperationTrace, key: UsableKey): void {
  trace.keyId = key.ref.id;
  trace.tenant = key.ref.tenant;
  trace.keyVersion = key.material.version;
  trace.path = key.path;
}

/**
 * AES-256-GCM encrypt and decrypt over the tenant's keys. Ciphertexts always carry their
 * version (`mfn:v<N>:`), so decryption opens exactly one version.
 */
@Injectable()
export class CryptoService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
  ) {}

  encrypt(dto: EncryptRequestDto, caller: CryptoCaller): Promise<EncryptResponseDto> {
    return this.activity.run('encrypt', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: 'AES-256-GCM' }, async (trace) => {
      const plaintext = decoded(dto.plaintext)!;
      if (plaintext.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Plaintext', MAX_DECODED_BYTES);
      const key = await this.keys.current(caller.actor, keyRequestOf(dto), ENCRYPT, dto.key_version);
      noteKey(trace, key);
      this.activity.defaultCreated(caller, key);
      const sealed = aesGcmSeal(key.material.secretKey!, plaintext, decoded(dto.associated_data));
      return {
        ciphertext: formatVersioned(key.material.version, sealed.toString('base64')),
        key_id: key.ref.id,
        key_version: key.material.version,
        algorithm: 'AES-256-GCM',
      };
    });
  }

  decrypt(dto: DecryptRequestDto, caller: CryptoCaller): Promise<DecryptResponseDto> {
    return this.activity.run('decrypt', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: 'AES-256-GCM' }, async (trace) => {
      const plaintext = await this.open(caller, keyRequestOf(dto), dto.ciphertext, decoded(dto.associated_data), trace, DECRYPT);
      return { plaintext: plaintext.toString('base64'), key_id: trace.keyId, key_version: trace.keyVersion! };
    });
  }

  /**
   * Opens one versioned ciphertext; DECRYPTION_FAILED for anything that does not open (wrong key,
   * wrong AAD, tampered, retired or trimmed version), without saying which.
   */
  async open(
    caller: CryptoCaller,
    request: KeyRequest,
    ciphertext: string,
    aad: Buffer | undefined,
    trace: OperationTrace,
    spec: typeof DECRYPT | { operation: 'rewrap'; types: typeof AES; defaultRole: 'encryption'; create: false },
  ): Promise<Buffer> {
    const parsed = parseVersioned(ciphertext);
    let version: number;
    let payload: string;
    if (parsed.kind === 'versioned') {
      ({ version, payload } = parsed);
    } else if (parsed.kind === 'bare') {
      // The key is resolved first: an unknown or foreign key answers 404 whatever the value.
      version = await this.keys.latestVersionOf(caller.actor, request, spec);
      if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('ciphertext');
      payload = parsed.payload;
    } else {
      throw CryptoErrors.decryptionFailed();
    }
    trace.keyVersion = version;
    const { key, ref } = await this.keys.existing(caller.actor, request, spec, version);
    trace.keyId = ref.id;
    trace.tenant = ref.tenant;
    const sealed = decodeStrictBase64(payload);
    if (!key || sealed === undefined || sealed.length < GCM_MIN_SEALED_BYTES) throw CryptoErrors.decryptionFailed();
    trace.path = key.path;
    try {
      return aesGcmOpen(key.material.secretKey!, sealed, aad);
    } catch (err) {
      if (err instanceof AuthenticationFailedError) throw CryptoErrors.decryptionFailed();
      throw err;
    }
  }
}
