import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { AssociatedDataField, KeyIdField, TenantField } from './fields';

export const DATA_KEY_BITS = [128, 256, 512] as const;
export type DataKeyBits = (typeof DATA_KEY_BITS)[number];

export class DataKeyRequestDto {
  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @AssociatedDataField('Associated data bound to the wrapped data key, standard base64 (give it again to /api/decrypt)')
  associated_data?: string;

  @ApiPropertyOptional({ description: 'Data key length in bits (256 for AES-256)' })
  // Absent means the default; null is not a length (422), as for the key pair algorithm.
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsIn(DATA_KEY_BITS)
  bits: DataKeyBits = 256;
}

export class DataKeyResponseDto {
  @ApiProperty({ description: 'The data key encrypted with the named key, as from /api/encrypt (`mfn:v<N>:<base64>`)' })
  ciphertext!: string;

  @ApiPropertyOptional({ description: 'The data key itself, standard base64 (/api/datakey/plaintext only)' })
  plaintext?: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version that encrypted the data key' })
  key_version!: number;
}
