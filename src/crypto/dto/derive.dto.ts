import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { nullAsAbsent } from '../../common/pipes/value-transforms';
import { KEY_ID_PATTERN } from '../keys/key-types';
import { HKDF_MAX_BYTES, HKDF_MIN_BYTES } from '../primitives/hkdf';
import { KeyIdField, KeyVersionField, TenantField } from './fields';
import { IsStrictBase64, KEY_ID_RULE, MAX_PUBLIC_KEY_CHARS } from './validators';

export const DERIVE_OUTPUTS = ['wrapped', 'plaintext'] as const;
export type DeriveOutput = (typeof DERIVE_OUTPUTS)[number];

/** Salt and info are at most 1024 bytes each (node:crypto's bound for info); the base64 allows a little over, checked after decoding. */
export const MAX_HKDF_PARAM_BYTES = 1024;
const MAX_HKDF_PARAM_CHARS = 4 * Math.ceil(MAX_HKDF_PARAM_BYTES / 3);

export class DeriveRequestDto {
  @ApiProperty({ description: 'An X25519 key (POST /api/keys with type X25519)', maxLength: 64, pattern: KEY_ID_PATTERN.source })
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE })
  key_id!: string;

  @TenantField()
  tenant?: string;

  @KeyVersionField()
  key_version?: number;

  @ApiProperty({ description: "The peer's raw 32-byte X25519 public key, standard base64" })
  @IsString()
  @MaxLength(MAX_PUBLIC_KEY_CHARS)
  @IsStrictBase64()
  peer_public_key!: string;

  @ApiPropertyOptional({ description: 'HKDF salt, standard base64, at most 1024 bytes (absent = empty, i.e. 32 zero bytes)' })
  @Transform(nullAsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_HKDF_PARAM_CHARS)
  @IsStrictBase64()
  salt?: string;

  @ApiPropertyOptional({ description: 'HKDF info (context), standard base64, at most 1024 bytes (absent = empty)' })
  @Transform(nullAsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_HKDF_PARAM_CHARS)
  @IsStrictBase64()
  info?: string;

  @ApiPropertyOptional({ description: 'Bytes of derived key' })
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsInt()
  @Min(HKDF_MIN_BYTES)
  @Max(HKDF_MAX_BYTES)
  length: number = 32;

  @ApiPropertyOptional({ description: 'wrapped: the key encrypted under wrap_key_id (never returned in clear); plaintext: the key itself' })
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsIn(DERIVE_OUTPUTS)
  output: DeriveOutput = 'wrapped';

  @KeyIdField()
  wrap_key_id?: string;
}

export class DeriveResponseDto {
  @ApiProperty({ description: 'The X25519 key that agreed' })
  key_id!: string;

  @ApiProperty()
  key_version!: number;

  @ApiProperty({ example: 'X25519-HKDF-SHA256' })
  algorithm!: 'X25519-HKDF-SHA256';

  @ApiProperty({ description: 'Bytes of the derived key' })
  length!: number;

  @ApiPropertyOptional({ description: "output plaintext: the derived key, standard base64" })
  derived_key?: string;

  @ApiPropertyOptional({ description: 'output wrapped: `mfn:v<N>:` AES-256-GCM ciphertext of the derived key; POST /api/decrypt with wrap_key_id opens it' })
  ciphertext?: string;

  @ApiPropertyOptional({ description: 'output wrapped: the AES-256-GCM key that wrapped it' })
  wrap_key_id?: string;

  @ApiPropertyOptional({ description: 'output wrapped: the version of wrap_key_id used' })
  wrap_key_version?: number;
}
