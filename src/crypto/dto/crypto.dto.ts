import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HmacAlgorithm } from '../primitives/hmac';
import {
  AssociatedDataField,
  BatchInputField,
  CiphertextField,
  HmacAlgorithmField,
  HmacField,
  KeyIdField,
  KeyVersionField,
  NullAsAbsent,
  PlaintextField,
  SignatureField,
  TenantField,
} from './fields';
import { IsStrictBase64, MAX_BASE64_CHARS, MAX_PUBLIC_KEY_CHARS } from './validators';

/** The single field is required unless the request is a batch. */
const single = (dto: { batch_input?: unknown }): boolean => dto.batch_input === undefined;

/*
 * A batch item is its request's single fields (PickType copies their validation and
 * transformation, in the request's order: the order in which an item's first problem is found).
 * The conditions on batch_input always hold for an item: validation's whitelist has removed
 * anything the item class does not declare. `declare` only tells the services that the field
 * the item was validated for is there.
 */

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

  @BatchInputField('{plaintext, associated_data?, key_version?} (key_version defaults to the request\'s)', () => EncryptBatchItemDto)
  batch_input?: unknown[];
}

/** One item of an encrypt batch; key_id and tenant are the request's. */
export class EncryptBatchItemDto extends IntersectionType(
  // Two picks: PickType keeps the request's order, where key_version comes before associated_data.
  PickType(EncryptRequestDto, ['plaintext', 'associated_data']),
  PickType(EncryptRequestDto, ['key_version']),
) {
  declare plaintext: string;
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

  @BatchInputField('{ciphertext, associated_data?}', () => DecryptBatchItemDto)
  batch_input?: unknown[];
}

/** One item of a decrypt batch. */
export class DecryptBatchItemDto extends PickType(DecryptRequestDto, ['ciphertext', 'associated_data']) {
  declare ciphertext: string;
}

export class DecryptResponseDto {
  @ApiProperty({ description: 'Decrypted data, standard base64' })
  plaintext!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that decrypted the data' })
  key_version!: number;
}

export class SignRequestDto {
  @ApiPropertyOptional({ description: 'Message to sign, standard base64; required unless batch_input' })
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

  @BatchInputField('{message, key_version?} (message and key_version then go in the items)', () => SignBatchItemDto)
  batch_input?: unknown[];
}

export class SignBatchItemDto extends PickType(SignRequestDto, ['message', 'key_version']) {
  declare message: string;
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

export class VerifyRequestDto {
  @ApiPropertyOptional({ description: 'Signed or MACed message, standard base64 (the `input` of /api/hmac); required unless batch_input' })
  @ValidateIf((dto: VerifyRequestDto) => dto.batch_input === undefined || dto.message !== undefined)
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message?: string;

  @SignatureField()
  signature?: string;

  @HmacField()
  hmac?: string;

  @HmacAlgorithmField()
  algorithm?: HmacAlgorithm;

  @ApiPropertyOptional({ description: 'Raw 32-byte Ed25519 public key, base64; wins over key_id (signatures only)' })
  @NullAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PUBLIC_KEY_CHARS)
  public_key?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @BatchInputField('{message, signature? | hmac?} (exactly one of signature and hmac per item; key_id, tenant, algorithm and public_key are the request\'s)', () => VerifyBatchItemDto)
  batch_input?: unknown[];
}

export class VerifyBatchItemDto extends PickType(VerifyRequestDto, ['message', 'signature', 'hmac']) {
  declare message: string;
}

export class VerifyResponseDto {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ description: 'The request key_id when a public key was given, else the key used' })
  key_id!: string | null;

  @ApiProperty({ description: 'Ed25519 for a signature, the HMAC algorithm for an hmac' })
  algorithm!: 'Ed25519' | HmacAlgorithm;
}

export const KEYPAIR_ALGORITHMS = ['Ed25519', 'ECDH'] as const;
export type KeypairAlgorithm = (typeof KEYPAIR_ALGORITHMS)[number];

export class KeypairRequestDto {
  @ApiPropertyOptional({ description: 'Ed25519 (signing) or ECDH (X25519), exact case' })
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

  @ApiProperty()
  algorithm!: KeypairAlgorithm;

  @ApiProperty({ example: 1 })
  key_version!: number;
}
