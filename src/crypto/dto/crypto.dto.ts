import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { nullAsAbsent } from '../../common/pipes/value-transforms';
import { KEY_ID_PATTERN, TENANT_PATTERN } from '../keys/key-types';
import { HMAC_ALGORITHMS, HmacAlgorithm } from '../primitives/hmac';
import {
  IsStrictBase64,
  KEY_ID_RULE,
  MAX_AAD_CHARS,
  MAX_BASE64_CHARS,
  MAX_PUBLIC_KEY_CHARS,
  MAX_SIGNATURE_CHARS,
} from './validators';

const KEY_ID_DOC = {
  description:
    'Key id (1-64 of A-Z a-z 0-9 . _ : -). Unknown ids give 404; without it the default key is used ' +
    '(created on first encrypt/sign).',
  maxLength: 64,
  pattern: KEY_ID_PATTERN.source,
  example: 'key_0123456789abcdef0123456789abcdef',
} as const;

/**
 * JSON null in an optional field means "absent", as the previous service read it (IsOptional
 * alone would let the null through to the handler).
 */
function NullAsAbsent(): PropertyDecorator {
  return Transform(nullAsAbsent);
}

/** Optional key id: documented and validated the same way on every request body. */
export function KeyIdField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(KEY_ID_DOC), NullAsAbsent(), IsOptional(), IsString(), Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE }));
}

export const TENANT_RULE = 'tenant must be 1-64 characters of A-Z a-z 0-9 . _ @ -';

/** Owner of a key shared with the caller (absent: the caller's own tenant). */
export function TenantField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: "Tenant that owns key_id, when the key is another tenant's key shared with you (absent: your own)",
      maxLength: 64,
      pattern: TENANT_PATTERN.source,
    }),
    NullAsAbsent(),
    IsOptional(),
    IsString(),
    Matches(TENANT_PATTERN, { message: TENANT_RULE }),
  );
}

/** Optional key version for encrypt/sign: at least the key's min_encryption_version, at most its latest. */
export function KeyVersionField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Key version to use (default: the latest)', minimum: 1, example: 1 }),
    NullAsAbsent(),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(2_147_483_647),
  );
}

/** Associated data bound to a ciphertext, standard base64 (absent = empty). */
export function AssociatedDataField(description = 'Associated data bound to the ciphertext, standard base64 (absent = empty)'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength: MAX_AAD_CHARS }),
    NullAsAbsent(),
    IsOptional(),
    IsString(),
    MaxLength(MAX_AAD_CHARS),
    IsStrictBase64(),
  );
}

/** Data to encrypt, standard base64. */
export function PlaintextField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: 'Data to encrypt, standard base64', minLength: 1, maxLength: MAX_BASE64_CHARS, example: 'aGVsbG8=' }),
    IsString(),
    Length(1, MAX_BASE64_CHARS),
    IsStrictBase64(),
  );
}

/** A versioned ciphertext (`mfn:v<N>:<base64>`); whether it opens is the service's question. */
export function CiphertextField(description = 'Ciphertext from /api/encrypt (`mfn:v<N>:<base64>`); a value without the version prefix is refused'): PropertyDecorator {
  return applyDecorators(ApiProperty({ description, minLength: 1, maxLength: MAX_BASE64_CHARS }), IsString(), Length(1, MAX_BASE64_CHARS));
}

/**
 * `batch_input`: the items of a batch call, instead of the single fields. Only the list is
 * checked here (an array of at least one item); its length against MFN_CRYPTO_MAX_BATCH_ITEMS
 * and each item's fields are checked by the service (src/crypto/batch.ts), so that a bad item
 * answers in place.
 */
export function BatchInputField(itemFields: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `Items to process with the same key, instead of the single fields (at most MFN_CRYPTO_MAX_BATCH_ITEMS); each item: ${itemFields}`,
      type: 'array',
      items: { type: 'object' },
      minItems: 1,
    }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
  );
}

/** The single field is required unless the request is a batch. */
const single = (dto: { batch_input?: unknown }): boolean => dto.batch_input === undefined;

/** `mfn:v<N>:` + base64 of a 64-byte tag is far below this; the bound only caps the work. */
export const MAX_HMAC_CHARS = 256;

/** Optional HMAC algorithm: absent means sha2-256; null or any other name is a 422. */
export function HmacAlgorithmField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: HMAC_ALGORITHMS, default: 'sha2-256', description: 'HMAC hash, exact case' }),
    ValidateIf((_dto: unknown, value: unknown) => value !== undefined),
    IsIn(HMAC_ALGORITHMS, { message: `algorithm must be one of ${HMAC_ALGORITHMS.join(', ')}` }),
  );
}

export class EncryptRequestDto {
  @PlaintextField()
  @ValidateIf(single)
  plaintext?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @KeyVersionField()
  key_version?: number;

  @AssociatedDataField()
  associated_data?: string;

  @BatchInputField('{plaintext, associated_data?, key_version?} (key_version defaults to the request\'s)')
  batch_input?: unknown[];
}

export class EncryptResponseDto {
  @ApiProperty({ description: '`mfn:v<version>:` + base64(nonce ‖ ciphertext ‖ tag)', example: 'mfn:v1:3q2+7w==' })
  ciphertext!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that encrypted the data', example: 1 })
  key_version!: number;

  @ApiProperty({ example: 'AES-256-GCM' })
  algorithm!: 'AES-256-GCM';
}

export class DecryptRequestDto {
  @CiphertextField()
  @ValidateIf(single)
  ciphertext?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @AssociatedDataField('The associated data given to encrypt, standard base64')
  associated_data?: string;

  @BatchInputField('{ciphertext, associated_data?}')
  batch_input?: unknown[];
}

export class DecryptResponseDto {
  @ApiProperty({ description: 'Decrypted data, standard base64' })
  plaintext!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that decrypted the data' })
  key_version!: number;
}

export class SignBatchItemDto {
  @ApiProperty({ description: 'Message to sign, standard base64', minLength: 1, maxLength: MAX_BASE64_CHARS })
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message!: string;

  @KeyVersionField()
  key_version?: number;
}

export class SignRequestDto {
  @ApiPropertyOptional({ description: 'Message to sign, standard base64; required unless batch_input', minLength: 1, maxLength: MAX_BASE64_CHARS })
  @ValidateIf((dto: SignRequestDto) => dto.batch_input === undefined || dto.message !== undefined)
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @KeyVersionField()
  key_version?: number;

  @BatchInputField('{message, key_version?} (message and key_version then go in the items)')
  batch_input?: unknown[];
}

export class SignResponseDto {
  @ApiProperty({ description: '`mfn:v<version>:` + base64 of the 64-byte Ed25519 signature (R ‖ S)' })
  signature!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that signed' })
  key_version!: number;

  @ApiProperty({ example: 'Ed25519' })
  algorithm!: 'Ed25519';
}

const SIGNATURE_DOC = {
  description:
    'Signature from /api/sign (`mfn:v<N>:<base64>`); bare base64 of 64 bytes only with public_key; anything malformed verifies as false. ' +
    'Exactly one of signature and hmac.',
  minLength: 1,
  maxLength: MAX_SIGNATURE_CHARS,
} as const;

const HMAC_DOC = {
  description: 'HMAC from /api/hmac (`mfn:v<N>:<base64>`), compared in constant time; exactly one of signature and hmac',
  minLength: 1,
  maxLength: MAX_HMAC_CHARS,
} as const;

export class VerifyBatchItemDto {
  @ApiProperty({ description: 'Signed or MACed message, standard base64', minLength: 1, maxLength: MAX_BASE64_CHARS })
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message!: string;

  @ApiPropertyOptional(SIGNATURE_DOC)
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @Length(1, MAX_SIGNATURE_CHARS)
  signature?: string;

  @ApiPropertyOptional(HMAC_DOC)
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @Length(1, MAX_HMAC_CHARS)
  hmac?: string;
}

export class VerifyRequestDto {
  @ApiPropertyOptional({
    description: 'Signed or MACed message, standard base64 (the `input` of /api/hmac); required unless batch_input',
    minLength: 1,
    maxLength: MAX_BASE64_CHARS,
  })
  @ValidateIf((dto: VerifyRequestDto) => dto.batch_input === undefined || dto.message !== undefined)
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message?: string;

  @ApiPropertyOptional(SIGNATURE_DOC)
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @Length(1, MAX_SIGNATURE_CHARS)
  signature?: string;

  @ApiPropertyOptional(HMAC_DOC)
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @Length(1, MAX_HMAC_CHARS)
  hmac?: string;

  @HmacAlgorithmField()
  algorithm?: HmacAlgorithm;

  @ApiPropertyOptional({
    description: 'Raw 32-byte Ed25519 public key, base64; wins over key_id (signatures only)',
    maxLength: MAX_PUBLIC_KEY_CHARS,
  })
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PUBLIC_KEY_CHARS)
  public_key?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @BatchInputField('{message, signature? | hmac?} (exactly one of signature and hmac per item; key_id, tenant, algorithm and public_key are the request\'s)')
  batch_input?: unknown[];
}

export class VerifyResponseDto {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'The request key_id when a public key was given, else the key used' })
  key_id!: string | null;

  @ApiProperty({ enum: ['Ed25519', ...HMAC_ALGORITHMS], description: 'Ed25519 for a signature, the HMAC algorithm for an hmac' })
  algorithm!: 'Ed25519' | HmacAlgorithm;
}

export const KEYPAIR_ALGORITHMS = ['Ed25519', 'ECDH'] as const;
export type KeypairAlgorithm = (typeof KEYPAIR_ALGORITHMS)[number];

export class KeypairRequestDto {
  @ApiPropertyOptional({ enum: KEYPAIR_ALGORITHMS, default: 'Ed25519', description: 'Ed25519 (signing) or ECDH (X25519), exact case' })
  // Absent means the default; null is not an algorithm (422), unlike the nullable fields above.
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsIn(KEYPAIR_ALGORITHMS)
  algorithm: KeypairAlgorithm = 'Ed25519';

  @KeyIdField()
  key_id?: string;
}

export class KeypairResponseDto {
  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Raw 32-byte public key, standard base64' })
  public_key!: string;

  @ApiProperty({ enum: KEYPAIR_ALGORITHMS })
  algorithm!: KeypairAlgorithm;

  @ApiProperty({ example: 1 })
  key_version!: number;
}
