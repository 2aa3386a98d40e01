import { Injectable } from '@nestjs/common';
import { CryptoCaller } from './caller';
import { CryptoActivity } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { ENCRYPT, decoded, keyRequestOf, noteKey } from './crypto.service';
import { fieldError } from './batch-input';
import { DeriveRequestDto, DeriveResponseDto, MAX_HKDF_PARAM_BYTES } from './dto/derive.dto';
import { KeyResolver, UsableKey } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { formatVersioned } from './keys/versioned-value';
import { aesGcmSeal } from './primitives/aes-gcm';
import { hkdfSha256 } from './primitives/hkdf';
import { InvalidPeerKeyError, WeakSharedSecretError, x25519SharedSecret } from './primitives/x25519';

const X25519 = [KeyType.X25519] as const;
/** key_id is required, so the default role is never used; derive is grantable on its own. */
export const DERIVE = { operation: 'derive', types: X25519, defaultRole: 'encryption', create: false } as const;

export const DERIVE_ALGORITHM = 'X25519-HKDF-SHA256';

/**
 * X25519 key agreement with a stored private key: ECDH with the peer's public key, then
 * HKDF-SHA256 with the caller's salt and info. The derived key is returned wrapped under one of
 * the caller's AES-256-GCM keys by default (it opens with /api/decrypt), in clear only on request.
 */
@Injectable()
export class KeyAgreementService {
  constructor(
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
  ) {}

  derive(dto: DeriveRequestDto, caller: CryptoCaller): Promise<DeriveResponseDto> {
    return this.activity.run('derive', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: DERIVE_ALGORITHM }, async (trace) => {
      const salt = hkdfParam(dto.salt, 'salt');
      const info = hkdfParam(dto.info, 'info');
      if (dto.output === 'plaintext' && dto.wrap_key_id !== undefined) {
        throw fieldError('body.wrap_key_id', 'wrap_key_id applies to output wrapped only');
      }
      const key = await this.agreementKey(dto, caller);
      noteKey(trace, key);
      const shared = agree(key, decoded(dto.peer_public_key)!);
      const derived = hkdfSha256(shared, salt, info, dto.length);
      shared.fill(0);
      const base = { key_id: key.ref.id, key_version: key.material.version, algorithm: DERIVE_ALGORITHM, length: dto.length } as const;
      trace.details = { output: dto.output, length: dto.length };
      if (dto.output === 'plaintext') {
        const result = { ...base, derived_key: derived.toString('base64') };
        derived.fill(0);
        return result;
      }
      // The caller's own AES key: a wrap key is never another tenant's.
      const wrap = await this.keys.current(caller.actor, { keyId: dto.wrap_key_id }, ENCRYPT);
      this.activity.defaultCreated(caller, wrap);
      const sealed = aesGcmSeal(wrap.material.secretKey!, derived);
      derived.fill(0);
      trace.details = { ...trace.details, wrap_key_id: wrap.ref.id, wrap_key_version: wrap.material.version };
      return {
        ...base,
        ciphertext: formatVersioned(wrap.material.version, sealed.toString('base64')),
        wrap_key_id: wrap.ref.id,
        wrap_key_version: wrap.material.version,
      };
    });
  }

  /**
   * The latest version, or the one asked for: a peer may have used an older public key, so any
   * version still allowed to decrypt agrees (like decryption, unlike encryption).
   */
  private async agreementKey(dto: DeriveRequestDto, caller: CryptoCaller): Promise<UsableKey> {
    const request = keyRequestOf(dto);
    if (dto.key_version === undefined) return this.keys.current(caller.actor, request, DERIVE);
    const { key, ref } = await this.keys.existing(caller.actor, request, DERIVE, dto.key_version);
    if (!key) throw CryptoErrors.versionUnavailable(ref.id, dto.key_version);
    return key;
  }
}

function agree(key: UsableKey, peer: Buffer): Buffer {
  try {
    return x25519SharedSecret(key.material.privateKey!, peer);
  } catch (err) {
    if (err instanceof InvalidPeerKeyError) throw CryptoErrors.invalidPeerKey();
    if (err instanceof WeakSharedSecretError) throw CryptoErrors.lowOrderPeerKey();
    throw err;
  }
}

function hkdfParam(value: string | undefined, name: 'salt' | 'info'): Buffer {
  const bytes = decoded(value) ?? Buffer.alloc(0);
  if (bytes.length > MAX_HKDF_PARAM_BYTES) throw fieldError(`body.${name}`, `${name} must be at most ${MAX_HKDF_PARAM_BYTES} bytes`);
  return bytes;
}
