import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { KEY_ID_PATTERN, KeyType } from '../keys/key-types';
import { KEY_ID_RULE } from './validators';

export const KEY_TYPES = [KeyType.AES_256_GCM, KeyType.ED25519, KeyType.X25519] as const;

export class CreateKeyRequestDto {
  @ApiProperty({ enum: KEY_TYPES, description: 'AES-256-GCM (encrypt/decrypt), Ed25519 (sign/verify) or X25519 (key agreement)' })
  @IsIn(KEY_TYPES)
  type!: KeyType;

  @ApiPropertyOptional({ description: 'Key id (1-64 of A-Z a-z 0-9 . _ : -); generated when absent', maxLength: 64, pattern: KEY_ID_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE })
  key_id?: string;
}

export class KeyConfigRequestDto {
  @ApiProperty({ description: 'Oldest version still allowed to decrypt and verify (1 … latest version)', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  min_decryption_version!: number;
}

export class KeyVersionDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  created_at!: string;

  @ApiPropertyOptional({ description: 'Raw 32-byte public key, base64 (asymmetric keys only)' })
  public_key?: string;
}

export class KeyDescriptionDto {
  @ApiProperty()
  key_id!: string;

  @ApiProperty({ enum: KEY_TYPES })
  type!: KeyType;

  @ApiProperty()
  created_at!: string;

  @ApiProperty()
  latest_version!: number;

  @ApiProperty()
  min_decryption_version!: number;

  @ApiProperty({ type: [String], description: 'encryption and/or signing when this is a default key' })
  default_for!: string[];

  @ApiProperty({ type: [KeyVersionDto] })
  versions!: KeyVersionDto[];
}
