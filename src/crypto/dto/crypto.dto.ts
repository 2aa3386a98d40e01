import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { HMAC_ALGORITHMS, HmacAlgorithm } from '../primitives/hmac';
import { DecryptBatchItemDto, EncryptBatchItemDto, SignBatchItemDto, VerifyBatchItemDto } from './batch.dto';
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

export class DecryptResponseDto {
  @ApiProperty({ description: 'Decrypted data, standard base64' })
  plaintext!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that decrypted the data' })
  key_version!: number;
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

  @BatchInputField('{message, key_version?} (message and key_version then go in the items)', () => SignBatchItemDto)
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

  @SignatureField()
  signature?: string;

  @HmacField()
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

  @BatchInputField('{message, signature? | hmac?} (exactly one of signature and hmac per item; key_id, tenant, algorithm and public_key are the request\'s)', () => VerifyBatchItemDto)
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
