import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { GRANTABLE_OPERATIONS, GrantableOperation, KEY_ID_PATTERN, KeyType, TENANT_PATTERN } from '../keys/key-types';
import { TENANT_RULE } from './fields';
import { KEY_ID_RULE } from './validators';

export const KEY_TYPES = [KeyType.AES_256_GCM, KeyType.ED25519, KeyType.X25519] as const;
const MAX_VERSION = 2_147_483_647;
/** Ten years: longer periods are a typo, not a policy. */
const MAX_ROTATE_PERIOD_S = 315_360_000;

export class CreateKeyRequestDto {
  @ApiProperty({ description: 'AES-256-GCM (encrypt/decrypt), Ed25519 (sign/verify) or X25519 (key agreement)' })
  @IsIn(KEY_TYPES)
  type!: KeyType;

  @ApiPropertyOptional({ description: 'Key id (1-64 of A-Z a-z 0-9 . _ : -); generated when absent', maxLength: 64, pattern: KEY_ID_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE })
  key_id?: string;
}

/** `?tenant=`: another tenant's keys (keys-admin only); absent = the caller's own. */
export class TenantQueryDto {
  @ApiPropertyOptional({ description: "Tenant whose key this is (keys-admin only; absent: your own)", maxLength: 64, pattern: TENANT_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: TENANT_RULE })
  tenant?: string;
}

export class ListKeysQueryDto extends TenantQueryDto {
  @ApiPropertyOptional({ description: 'Page size', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: next_cursor of the previous page (ids sort in byte order)', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE })
  after?: string;
}

export class KeyListDto {
  @ApiProperty({ description: 'Key ids of the tenant, in byte order' })
  keys!: string[];

  @ApiProperty({ description: 'Pass as `after` for the next page; null on the last page' })
  next_cursor!: string | null;
}

export class KeyConfigRequestDto {
  @ApiPropertyOptional({ description: 'Oldest version still allowed to decrypt and verify (min_available_version … latest)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  min_decryption_version?: number;

  @ApiPropertyOptional({ description: 'Oldest version encrypt/sign may be asked for with key_version; 0 = any usable version' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VERSION)
  min_encryption_version?: number;

  @ApiPropertyOptional({ description: 'Whether DELETE /api/keys/{key_id} may destroy this key' })
  @IsOptional()
  @IsBoolean()
  deletion_allowed?: boolean;

  @ApiPropertyOptional({ description: 'Seconds between automatic rotations; 0 = off, else at least 3600', example: 2592000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATE_PERIOD_S)
  auto_rotate_period?: number;
}

export class TrimRequestDto {
  @ApiPropertyOptional({ description: 'Versions below this are destroyed (default: min_decryption_version)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  min_available_version?: number;
}

export class GrantRequestDto {
  // Stated: the plugin's enum from IsIn(each) would nest under the array type the decorator sees.
  @ApiProperty({ enum: GRANTABLE_OPERATIONS, isArray: true, description: 'Operations the tenant may perform with this key (replaces its previous grant)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(GRANTABLE_OPERATIONS.length)
  @ArrayUnique()
  @IsIn(GRANTABLE_OPERATIONS, { each: true })
  operations!: GrantableOperation[];
}

export class KeyVersionDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  created_at!: string;

  @ApiPropertyOptional({ description: 'Raw 32-byte public key, base64 (asymmetric keys only)' })
  public_key?: string;
}

export class KeyGrantDto {
  @ApiProperty()
  tenant!: string;

  // Stated, as on GrantRequestDto: inferred from the type, the enum would nest under the array.
  @ApiProperty({ enum: GRANTABLE_OPERATIONS, isArray: true })
  operations!: GrantableOperation[];
}

export class KeyDescriptionDto {
  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Owner tenant' })
  tenant!: string;

  @ApiProperty()
  type!: KeyType;

  @ApiProperty()
  created_at!: string;

  @ApiProperty()
  latest_version!: number;

  @ApiProperty({ description: 'Lowest version still stored (trim destroys those below)' })
  min_available_version!: number;

  @ApiProperty()
  min_decryption_version!: number;

  @ApiProperty({ description: '0 = any usable version may be asked for' })
  min_encryption_version!: number;

  @ApiProperty()
  deletion_allowed!: boolean;

  @ApiProperty({ description: 'Seconds between automatic rotations (0 = off)' })
  auto_rotate_period!: number;

  @ApiProperty()
  next_rotation_at!: string | null;

  @ApiProperty({ description: 'encryption or signing when this is the tenant\'s default key' })
  default_for!: string[];

  @ApiProperty()
  versions!: KeyVersionDto[];

  @ApiPropertyOptional({ description: "Other tenants' grants (shown to the owner and keys-admin)" })
  grants?: KeyGrantDto[];
}
