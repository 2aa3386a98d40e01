import { Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { AppConfig } from '../config';
import { runBatch } from './batch';
import { KeyLookups, batchItemsOf, noteBatch } from './batch-input';
import { CryptoCaller } from './caller';
import { CryptoActivity } from './crypto-activity';
import { CryptoErrors } from './crypto.errors';
import { decoded, keyRequestOf } from './crypto.service';
import { VerifyResponseDto } from './dto/crypto.dto';
import { BatchResponseDto } from './dto/batch.dto';
import { HmacBatchItemDto, HmacRequestDto, HmacResponseDto } from './dto/hmac.dto';
import { MAX_DECODED_BYTES } from './dto/validators';
import { KeyResolver } from './keys/key-resolver.service';
import { formatVersioned, parseVersioned } from './keys/versioned-value';
import { decodeStrictBase64 } from './primitives/base64';
import { HmacAlgorithm, hmacDigest, hmacEqual } from './primitives/hmac';

/** Any key type HMACs, with its version's own HMAC secret; without key_id the default encryption key. */
export const HMAC = { operation: 'sign', defaultRole: 'encryption', create: true } as const;
export const HMAC_VERIFY = { operation: 'verify', defaultRole: 'encryption', create: false } as const;

export const DEFAULT_HMAC_ALGORITHM: HmacAlgorithm = 'sha2-256';

/** The tag /api/hmac returns for `input` under a version's HMAC secret (full length, never truncated). */
export function hmacTag(hmacKey: KeyObject, algorithm: HmacAlgorithm, input: Buffer): Buffer {
  return hmacDigest(hmacKey, algorithm, input);
}

/** Whether `tag` is the tag of `input`, compared in constant time (a truncated tag never matches). */
export function hmacMatches(hmacKey: KeyObject, algorithm: HmacAlgorithm, input: Buffer, tag: Buffer): boolean {
  return hmacEqual(hmacTag(hmacKey, algorithm, input), tag);
}

/** The audit name of an HMAC algorithm. */
export function hmacTraceName(algorithm: HmacAlgorithm): string {
  return `HMAC-${algorithm.toUpperCase()}`;
}

/** Checks a message's decoded size, as a single call and each batch item do. */
export function messageBytes(value: string): Buffer {
  const bytes = decoded(value)!;
  if (bytes.length > MAX_DECODED_BYTES) throw CryptoErrors.tooLarge('Message', MAX_DECODED_BYTES);
  return bytes;
}

/**
 * HMAC-SHA-2 with the tenant's keys, as Vault's transit `hmac`: every key version carries its
 * own HMAC secret, whatever the key type, and the tag names the version (`mfn:v<N>:`). Checking a
 * tag is part of /api/verify (SigningService hands `hmac` values here).
 */
@Injectable()
export class HmacService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyResolver,
    private readonly activity: CryptoActivity,
  ) {}

  hmac(dto: HmacRequestDto, caller: CryptoCaller): Promise<HmacResponseDto | BatchResponseDto<HmacResponseDto>> {
    const algorithm = dto.algorithm ?? DEFAULT_HMAC_ALGORITHM;
    return this.activity.run('hmac', caller, { keyId: dto.key_id, tenant: dto.tenant, algorithm: hmacTraceName(algorithm) }, async (trace) => {
      const lookups = new KeyLookups(this.keys, this.activity, caller, keyRequestOf(dto), trace);
      const items = batchItemsOf(dto.batch_input, { input: dto.input, key_version: dto.key_version }, this.config.crypto.maxBatchItems);
      if (items === undefined) return this.hmacOne(lookups, algorithm, dto.input!, dto.key_version);
      const { results, failed } = await runBatch(HmacBatchItemDto, items, (item) => this.hmacOne(lookups, algorithm, item.input, item.key_version));
      noteBatch(trace, items.length, failed);
      return { batch_results: results };
    });
  }

  /**
   * One `hmac` value of /api/verify. The key is resolved before the value is looked at, so an
   * unknown or foreign key answers 404 whatever was sent; a bare value is 400 (unless the legacy
   * switch is on); anything else that does not match is `valid: false`.
   */
  async verifyOne(lookups: KeyLookups, keyId: string | undefined, algorithm: HmacAlgorithm, message: Buffer, value: string): Promise<VerifyResponseDto> {
    const parsed = parseVersioned(value);
    let version: number;
    let payload: string;
    if (parsed.kind === 'versioned') {
      ({ version, payload } = parsed);
    } else {
      const latest = await lookups.latestVersionOf(HMAC_VERIFY);
      if (parsed.kind === 'malformed') return { valid: false, key_id: keyId ?? null, algorithm };
      if (!this.config.crypto.acceptUnversioned) throw CryptoErrors.unversioned('hmac');
      version = latest;
      payload = parsed.payload;
    }
    const { key, ref } = await lookups.existing(HMAC_VERIFY, version);
    const tag = decodeStrictBase64(payload);
    const valid = key !== undefined && tag !== undefined && hmacMatches(key.material.hmacKey, algorithm, message, tag);
    return { valid, key_id: ref.id, algorithm };
  }

  private async hmacOne(lookups: KeyLookups, algorithm: HmacAlgorithm, input: string, version: number | undefined): Promise<HmacResponseDto> {
    const bytes = messageBytes(input);
    const key = await lookups.current(HMAC, version);
    const tag = hmacTag(key.material.hmacKey, algorithm, bytes);
    return {
      hmac: formatVersioned(key.material.version, tag.toString('base64')),
      key_id: key.ref.id,
      key_version: key.material.version,
      algorithm,
    };
  }
}
