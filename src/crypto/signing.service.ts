import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config';
import { runBatch } from './batch';
import { KeyLookups, batchItemsOf, fieldError, noteBatch } from './batch-input';
import { CryptoCaller } from './caller';
import { CryptoActivity } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { BatchResponseDto } from './dto/batch.dto';
import { SignBatchItemDto, SignRequestDto, SignResponseDto, VerifyBatchItemDto, VerifyRequestDto, VerifyResponseDto } from './dto/crypto.dto';
import { keyRequestOf } from './crypto.service';
import { DEFAULT_HMAC_ALGORITHM, HmacService, hmacTraceName, messageBytes } from './hmac.service';
import { KeyResolver } from './keys/key-resolver.service';
import { KeyType } from './keys/key-types';
import { formatVersioned, parseVersioned } from './keys/versioned-value';
import { decodeStrictBase64 } from './primitives/base64';
import { ed25519PublicKeyFromRaw, ed25519Sign, ed25519Verify } from './primitives/ed25519';

const ED = [KeyType.ED25519] as const;
export const SIGN = { operation: 'sign', types: ED, defaultRole: 'signing', create: true } as const;
export const VERIFY = { operation: 'verify', types: ED, defaultRole: 'signing', create: false } as const;

/** What one verification checks: the message and exactly one of a signature or an HMAC. */
interface VerifyItem {
  message: string;
  signature?: string;
  hmac?: string;
}

/**
 * Ed25519 signatures with the tenant's keys; verification of signatures (against a stored key or
 * a given public key) and of HMACs (handed to HmacService). Both take `batch_input`.
 */
@Injectable()
export class SigningService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
    private readonly hmacs: HmacService,
  ) {}

  sign(dto: SignRequestDto, caller: CryptoCaller): Promise<SignResponseDto | BatchResponseDto<SignResponseDto>> {
    return this.activity.run('sign', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: 'Ed25519' }, async (trace) => {
      const lookups = new KeyLookups(this.keys, this.activity, caller, keyRequestOf(dto), trace);
      const items = batchItemsOf(dto.batch_input, { message: dto.message, key_version: dto.key_version }, this.config.crypto.maxBatchItems);
      if (items === undefined) return this.signOne(lookups, dto.message!, dto.key_version);
      const { results, failed } = await runBatch(SignBatchItemDto, items, (item) => this.signOne(lookups, item.message, item.key_version));
      noteBatch(trace, items.length, failed);
      return { batch_results: results };
    });
  }

  /**
   * A well-formed request whose signature does not verify answers `valid: false`: not base64,
   * wrong length, S ≥ L, not a curve point, a retired or unknown version. A signature or HMAC
   * for a stored key must carry its version prefix (400 otherwise, unless the legacy switch is on).
   */
  verify(dto: VerifyRequestDto, caller: CryptoCaller): Promise<VerifyResponseDto | BatchResponseDto<VerifyResponseDto>> {
    return this.activity.run('verify', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: verifyAlgorithmName(dto) }, async (trace) => {
      const lookups = new KeyLookups(this.keys, this.activity, caller, keyRequestOf(dto), trace);
      const perItem = { message: dto.message, signature: dto.signature, hmac: dto.hmac };
      const items = batchItemsOf(dto.batch_input, perItem, this.config.crypto.maxBatchItems);
      if (items === undefined) {
        const result = await this.verifyOne(dto, lookups, dto as VerifyItem, 'body.');
        trace.details = { valid: result.valid };
        if (dto.signature !== undefined && dto.public_key !== undefined && dto.public_key !== '') trace.keyId = 'external';
        return result;
      }
      const { results, failed } = await runBatch(VerifyBatchItemDto, items, (item) => this.verifyOne(dto, lookups, item, ''));
      noteBatch(trace, items.length, failed);
      trace.details = { ...trace.details, valid: results.filter((r) => 'valid' in r && r.valid).length };
      return { batch_results: results };
    });
  }

  private async signOne(lookups: KeyLookups, message: string, version: number | undefined): Promise<SignResponseDto> {
    const bytes = messageBytes(message);
    const key = await lookups.current(SIGN, version);
    const signature = ed25519Sign(key.material.privateKey!, bytes);
    return {
      signature: formatVersioned(key.material.version, signature.toString('base64')),
      key_id: key.ref.id,
      key_version: key.material.version,
      algorithm: 'Ed25519',
    };
  }

  private verifyOne(dto: VerifyRequestDto, lookups: KeyLookups, item: VerifyItem, at: string): Promise<VerifyResponseDto> {
    if ((item.signature === undefined) === (item.hmac === undefined)) {
      throw fieldError(`${at}signature`, 'exactly one of signature and hmac is required');
    }
    const message = messageBytes(item.message);
    if (item.hmac !== undefined) {
      if (dto.public_key !== undefined && dto.public_key !== '') throw fieldError('body.public_key', 'public_key applies to signatures, not to hmac');
      return this.hmacs.verifyOne(lookups, dto.key_id, dto.algorithm ?? DEFAULT_HMAC_ALGORITHM, message, item.hmac);
    }
    if (dto.algorithm !== undefined) throw fieldError('body.algorithm', 'algorithm applies to hmac, not to signatures');
    return this.verifySignature(dto, lookups, message, item.signature!);
  }

  private async verifySignature(dto: VerifyRequestDto, lookups: KeyLookups, message: Buffer, value: string): Promise<VerifyResponseDto> {
    const parsed = parseVersioned(value);
    if (dto.public_key !== undefined && dto.public_key !== '') {
      const raw = decodeStrictBase64(dto.public_key);
      const publicKey = raw ? ed25519PublicKeyFromRaw(raw) : undefined;
      const signature = parsed.kind === 'malformed' ? undefined : decodeStrictBase64(parsed.payload);
      const valid = publicKey !== undefined && signature !== undefined && ed25519Verify(publicKey, message, signature);
      return { valid, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
    }

    let version: number;
    let payload: string;
    if (parsed.kind === 'versioned') {
      ({ version, payload } = parsed);
    } else {
      // The key is resolved first: an unknown or foreign key answers 404 whatever the value.
      const latest = await lookups.latestVersionOf(VERIFY);
      if (parsed.kind === 'malformed') return { valid: false, key_id: dto.key_id ?? null, algorithm: 'Ed25519' };
      if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('signature');
      version = latest;
      payload = parsed.payload;
    }
    const { key, ref } = await lookups.existing(VERIFY, version);
    const signature = decodeStrictBase64(payload);
    const valid = key !== undefined && signature !== undefined && ed25519Verify(key.material.publicKey!, message, signature);
    return { valid, key_id: ref.id, algorithm: 'Ed25519' };
  }
}

/** The audit name of what a verify call checks: Ed25519, an HMAC algorithm, or both in a mixed batch. */
function verifyAlgorithmName(dto: VerifyRequestDto): string {
  const hmacName = hmacTraceName(dto.algorithm ?? DEFAULT_HMAC_ALGORITHM);
  const values: unknown[] = dto.batch_input ?? [dto];
  const kinds = new Set(values.map((v) => (typeof v === 'object' && v !== null && (v as VerifyItem).hmac != null ? hmacName : 'Ed25519')));
  return [...kinds].sort().join('+');
}
