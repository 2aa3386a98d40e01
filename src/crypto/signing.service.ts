import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config';
import { CryptoCaller } from './caller';
import { CryptoActivity } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { decoded, keyRequestOf, noteKey } from './crypto.service';
import { SignRequestDto, SignResponseDto, VerifyRequestDto, VerifyResponseDto } from './dto/crypto.dto';
import { MAX_DECODED_BYTES } from './dto/validators';
import { KeyResolver } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { formatVersioned, parseVersioned } from './keys/versioned-value';
import { decodeStrictBase64 } from './primitives/base64';
import { ed25519PublicKeyFromRaw, ed25519Sign, ed25519Verify } from './primitives/ed25519';

const ED = [KeyType.ED25519] as const;
export const SIGN = { operation: 'sign', types: ED, defaultRole: 'signing', create: true } as const;
export const VERIFY = { operation: 'verify', types: ED, defaultRole: 'signing', create: false } as const;

/** Ed25519 signatures with the tenant's keys; verification against a stored key or a given public key. */
@Injectable()
export class SigningService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
  ) {}

  sign(dto: SignRequestDto, caller: CryptoCaller): Promise<SignResponseDto> {
    return this.activity.run('sign', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: 'Ed25519' }, async (trace) => {
      const message = decoded(dto.message)!;
      if (message.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Message', MAX_DECODED_BYTES);
      const key = await this.keys.current(caller.actor, keyRequestOf(dto), SIGN, dto.key_version);
      noteKey(trace, key);
      this.activity.defaultCreated(caller, key);
      const signature = ed25519Sign(key.material.privateKey!, message);
      return {
        signature: formatVersioned(key.material.version, signature.toString('base64')),
        key_id: key.ref.id,
        key_version: key.material.version,
        algorithm: 'Ed25519',
      };
    });
  }

  /**
   * A well-formed request whose signature does not verify answers `valid: false`: not base64,
   * wrong length, S ≥ L, not a curve point, a retired or unknown version. A signature for a
   * stored key must carry its version prefix (400 otherwise, unless the legacy switch is on).
   */
  verify(dto: VerifyRequestDto, caller: CryptoCaller): Promise<VerifyResponseDto> {
    return this.activity.run('verify', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: 'Ed25519' }, async (trace) => {
      const message = decoded(dto.message)!;
      if (message.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Message', MAX_DECODED_BYTES);
      const parsed = parseVersioned(dto.signature!);

      if (dto.public_key !== undefined && dto.public_key !== '') {
        trace.keyId = 'external';
        const raw = decodeStrictBase64(dto.public_key);
        const publicKey = raw ? ed25519PublicKeyFromRaw(raw) : undefined;
        const signature = parsed.kind === 'malformed' ? undefined : decodeStrictBase64(parsed.payload);
        const valid = publicKey !== undefined && signature !== undefined && ed25519Verify(publicKey, message, signature);
        trace.details = { valid };
        return { valid, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
      }

      const request = keyRequestOf(dto);
      let version: number;
      let payload: string;
      if (parsed.kind === 'versioned') {
        ({ version, payload } = parsed);
      } else if (parsed.kind === 'bare') {
        // The key is resolved first: an unknown or foreign key answers 404 whatever the value.
        version = await this.keys.latestVersionOf(caller.actor, request, VERIFY);
        if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('signature');
        payload = parsed.payload;
      } else {
        // Still resolves the key, so an unknown or foreign key answers 404 whatever the signature.
        await this.keys.latestVersionOf(caller.actor, request, VERIFY);
        trace.details = { valid: false };
        return { valid: false, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
      }
      trace.keyVersion = version;
      const { key, ref } = await this.keys.existing(caller.actor, request, VERIFY, version);
      trace.keyId = ref.id;
      trace.tenant = ref.tenant;
      const signature = decodeStrictBase64(payload);
      const valid = key !== undefined && signature !== undefined && ed25519Verify(key.material.publicKey!, message, signature);
      trace.details = { valid };
      return { valid, key_id: ref.id, algorithm: 'Ed25519' };
    });
  }
}
