import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppException } from '../common';
import { AppConfig } from '../config';
import { MetricsService } from '../metrics/metrics.service';
import { CryptoCaller, ownerOf } from './caller';
import { CryptoErrors } from './crypto.errors';
import {
  DecryptRequestDto,
  DecryptResponseDto,
  EncryptRequestDto,
  EncryptResponseDto,
  KeypairRequestDto,
  KeypairResponseDto,
  SignRequestDto,
  SignResponseDto,
  VerifyRequestDto,
  VerifyResponseDto,
} from './dto/crypto.dto';
import { CreateKeyRequestDto } from './dto/key-admin.dto';
import { MAX_DECODED_BYTES } from './dto/validators';
import { KeyDescription, KeyManager, ResolvedKey } from './keys/key-manager.service';
import { KeyType } from './keys/key-types';
import { formatVersioned, looksVersioned, parseVersioned } from './keys/versioned-value';
import { AuthenticationFailedError, GCM_MIN_SEALED_BYTES, aesGcmOpen, aesGcmSeal } from './primitives/aes-gcm';
import { decodeStrictBase64 } from './primitives/base64';
import { ed25519PublicKeyFromRaw, ed25519Sign, ed25519Verify } from './primitives/ed25519';

type Operation = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'keypair' | 'key_create' | 'key_rotate' | 'key_config';

/** What an operation learnt while running, for its audit event. */
interface OperationTrace {
  keyId: string;
  algorithm: string;
  keyVersion?: number;
  details?: Record<string, unknown>;
}

/** Algorithm reported before the key is known; key operations replace it with the key's type. */
const ALGORITHM: Record<Operation, string> = {
  encrypt: 'AES-256-GCM',
  decrypt: 'AES-256-GCM',
  sign: 'Ed25519',
  verify: 'Ed25519',
  keypair: 'Ed25519',
  key_create: 'unknown',
  key_rotate: 'unknown',
  key_config: 'unknown',
};

/** Bytes of a field the DTO already checked to be strict base64. */
function decoded(value: string | undefined): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

/**
 * The crypto API: AES-256-GCM encrypt/decrypt, Ed25519 sign/verify and key pairs over the key
 * manager, plus key creation, rotation and min_decryption_version. Every operation counts in
 * mfn_crypto_operations_total and, with MFN_CRYPTO_AUDIT_LOG, leaves an audit event with its key id,
 * algorithm and outcome; key lifecycle events and failed decryptions are always audited.
 */
@Injectable()
export class CryptoService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyManager,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  encrypt(dto: EncryptRequestDto, caller: CryptoCaller): Promise<EncryptResponseDto> {
    return this.run('encrypt', caller, dto.key_id, async (trace) => {
      const plaintext = decoded(dto.plaintext)!;
      if (plaintext.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Plaintext', MAX_DECODED_BYTES);
      const key = await this.keys.encryptionKey(dto.key_id);
      this.noteResolved(trace, key, caller);
      const sealed = aesGcmSeal(key.material.secretKey!, plaintext, decoded(dto.associated_data));
      return {
        ciphertext: formatVersioned(key.version, sealed.toString('base64')),
        key_id: key.id,
        key_version: key.version,
        algorithm: 'AES-256-GCM',
      };
    });
  }

  decrypt(dto: DecryptRequestDto, caller: CryptoCaller): Promise<DecryptResponseDto> {
    return this.run('decrypt', caller, dto.key_id, async (trace) => {
      const parsed = parseVersioned(dto.ciphertext);
      const sealed = decodeStrictBase64(parsed.payload);
      const wellFormed =
        sealed !== undefined && sealed.length >= GCM_MIN_SEALED_BYTES && (parsed.version !== undefined || !looksVersioned(dto.ciphertext));
      trace.keyVersion = parsed.version;
      const { id, keys } = await this.keys.decryptionKeys(dto.key_id, parsed.version);
      trace.keyId = id;
      if (wellFormed) {
        const aad = decoded(dto.associated_data);
        for (const key of keys) {
          try {
            const plaintext = aesGcmOpen(key.material.secretKey!, sealed, aad);
            trace.keyVersion = key.version;
            return { plaintext: plaintext.toString('base64'), key_id: id, key_version: key.version };
          } catch (err) {
            if (!(err instanceof AuthenticationFailedError)) throw err;
          }
        }
      }
      throw CryptoErrors.decryptionFailed();
    });
  }

  sign(dto: SignRequestDto, caller: CryptoCaller): Promise<SignResponseDto> {
    return this.run('sign', caller, dto.key_id, async (trace) => {
      const message = decoded(dto.message)!;
      if (message.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Message', MAX_DECODED_BYTES);
      const key = await this.keys.signingKey(dto.key_id);
      this.noteResolved(trace, key, caller);
      const signature = ed25519Sign(key.material.privateKey!, message);
      return {
        signature: formatVersioned(key.version, signature.toString('base64')),
        key_id: key.id,
        key_version: key.version,
        algorithm: 'Ed25519',
      };
    });
  }

  /**
   * Anything that is not a well-formed signature or public key (not base64, wrong length, S ≥ L,
   * not a curve point, unknown or retired version) verifies as false rather than failing.
   */
  verify(dto: VerifyRequestDto, caller: CryptoCaller): Promise<VerifyResponseDto> {
    return this.run('verify', caller, dto.key_id, async (trace) => {
      const message = decoded(dto.message)!;
      if (message.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Message', MAX_DECODED_BYTES);
      const parsed = parseVersioned(dto.signature);
      const malformedPrefix = parsed.version === undefined && looksVersioned(dto.signature);
      const signature = malformedPrefix ? undefined : decodeStrictBase64(parsed.payload);

      if (dto.public_key !== undefined && dto.public_key !== '') {
        trace.keyId = 'external';
        const raw = decodeStrictBase64(dto.public_key);
        const publicKey = raw ? ed25519PublicKeyFromRaw(raw) : undefined;
        const valid = publicKey !== undefined && signature !== undefined && ed25519Verify(publicKey, message, signature);
        trace.details = { valid };
        return { valid, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
      }

      const resolved = await this.keys.verificationKeys(dto.key_id, parsed.version);
      if (!resolved) throw CryptoErrors.noVerificationKey();
      trace.keyId = resolved.id;
      trace.keyVersion = parsed.version;
      let valid = false;
      if (signature !== undefined) {
        const match = resolved.keys.find((k) => ed25519Verify(k.material.publicKey!, message, signature));
        if (match) {
          valid = true;
          trace.keyVersion = match.version;
        }
      }
      trace.details = { valid };
      return { valid, key_id: resolved.id, algorithm: 'Ed25519' };
    });
  }

  /** Ed25519 pairs join the signing keys (default signer if none yet); ECDH makes an X25519 pair. */
  keypair(dto: KeypairRequestDto, caller: CryptoCaller): Promise<KeypairResponseDto> {
    const type = dto.algorithm === 'ECDH' ? KeyType.X25519 : KeyType.ED25519;
    return this.run('keypair', caller, dto.key_id, async (trace) => {
      trace.algorithm = type;
      const created = await this.keys.createKey(type, {
        id: dto.key_id,
        owner: ownerOf(caller),
        defaultRole: type === KeyType.ED25519 ? 'signing' : undefined,
      });
      trace.keyId = created.id;
      trace.keyVersion = 1;
      this.auditKeyEvent('key_created', caller, created.id, { type, version: 1 });
      return { key_id: created.id, public_key: created.material.publicKeyBase64!, algorithm: dto.algorithm, key_version: 1 };
    });
  }

  createKey(dto: CreateKeyRequestDto, caller: CryptoCaller): Promise<KeyDescription> {
    return this.run('key_create', caller, dto.key_id, async (trace) => {
      trace.algorithm = dto.type;
      const created = await this.keys.createKey(dto.type, { id: dto.key_id, owner: ownerOf(caller) });
      trace.keyId = created.id;
      trace.keyVersion = 1;
      this.auditKeyEvent('key_created', caller, created.id, { type: dto.type, version: 1 });
      return this.keys.describe(created.id);
    });
  }

  rotate(keyId: string, caller: CryptoCaller): Promise<KeyDescription> {
    return this.run('key_rotate', caller, keyId, async (trace) => {
      const description = await this.keys.rotate(keyId);
      trace.algorithm = description.type;
      trace.keyVersion = description.latest_version;
      this.auditKeyEvent('key_rotated', caller, keyId, { type: description.type, version: description.latest_version });
      return description;
    });
  }

  configure(keyId: string, minDecryptionVersion: number, caller: CryptoCaller): Promise<KeyDescription> {
    return this.run('key_config', caller, keyId, async (trace) => {
      const description = await this.keys.setMinDecryptionVersion(keyId, minDecryptionVersion);
      trace.algorithm = description.type;
      this.auditKeyEvent('key_config_updated', caller, keyId, { min_decryption_version: minDecryptionVersion });
      return description;
    });
  }

  describe(keyId: string): Promise<KeyDescription> {
    return this.keys.describe(keyId);
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  private async run<T>(
    operation: Operation,
    caller: CryptoCaller,
    keyId: string | undefined,
    body: (trace: OperationTrace) => Promise<T>,
  ): Promise<T> {
    const trace: OperationTrace = { keyId: keyId ?? 'unknown', algorithm: ALGORITHM[operation] };
    try {
      const result = await body(trace);
      this.metrics.cryptoOperation(operation, true);
      if (this.config.crypto.auditLog) this.auditOperation(operation, caller, trace);
      return result;
    } catch (err) {
      this.metrics.cryptoOperation(operation, false);
      const error = err instanceof AppException ? err.code : 'INTERNAL_ERROR';
      if (this.config.crypto.auditLog) this.auditOperation(operation, caller, trace, error);
      if (operation === 'decrypt' && error !== 'INTERNAL_ERROR') {
        this.audit.recordForRequest(caller.req, {
          action: 'decryption_failed',
          category: 'security',
          severity: 'WARNING',
          success: false,
          userId: caller.userId,
          details: { key_id: trace.keyId, key_version: trace.keyVersion, error },
        });
      }
      throw err;
    }
  }

  private auditOperation(operation: Operation, caller: CryptoCaller, trace: OperationTrace, error?: string): void {
    const details: Record<string, unknown> = { operation, key_id: trace.keyId, algorithm: trace.algorithm, success: error === undefined };
    if (trace.keyVersion !== undefined) details.key_version = trace.keyVersion;
    if (error !== undefined) details.error = error;
    if (trace.details) Object.assign(details, trace.details);
    this.audit.recordForRequest(caller.req, {
      action: 'crypto_operation',
      category: 'data_access',
      severity: error === undefined ? 'INFO' : 'WARNING',
      success: error === undefined,
      userId: caller.userId,
      details,
    });
  }

  private noteResolved(trace: OperationTrace, key: ResolvedKey, caller: CryptoCaller): void {
    trace.keyId = key.id;
    trace.keyVersion = key.version;
    if (key.createdDefault) {
      this.auditKeyEvent('key_created', caller, key.id, { type: key.material.type, version: 1, default: true });
    }
  }

  private auditKeyEvent(action: string, caller: CryptoCaller, keyId: string, details: Record<string, unknown>): void {
    this.audit.recordForRequest(caller.req, {
      action,
      category: 'configuration',
      severity: 'INFO',
      success: true,
      userId: caller.userId,
      details: { key_id: keyId, ...details },
    });
  }
}
