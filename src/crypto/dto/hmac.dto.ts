import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsString, Length, ValidateIf } from 'class-validator';
import { HmacAlgorithm } from '../primitives/hmac';
import { BatchInputField, HmacAlgorithmField, KeyIdField, KeyVersionField, TenantField } from './fields';
import { IsStrictBase64, MAX_BASE64_CHARS } from './validators';

export class HmacRequestDto {
  @ApiPropertyOptional({ description: 'Data to authenticate, standard base64; required unless batch_input' })
  @ValidateIf((dto: HmacRequestDto) => dto.batch_input === undefined || dto.input !== undefined)
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  input?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @HmacAlgorithmField()
  algorithm?: HmacAlgorithm;

  @KeyVersionField()
  key_version?: number;

  @BatchInputField('{input, key_version?} (input and key_version then go in the items; key_id, tenant and algorithm are the request\'s)', () => HmacBatchItemDto)
  batch_input?: unknown[];
}

/** One item of an HMAC batch: the request's single fields (see the batch items in crypto.dto.ts). */
export class HmacBatchItemDto extends PickType(HmacRequestDto, ['input', 'key_version']) {
  declare input: string;
}

export class HmacResponseDto {
  @ApiProperty({ description: '`mfn:v<version>:` + base64 of the full-length tag (32, 48 or 64 bytes)', example: 'mfn:v1:q83v…' })
  hmac!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version whose HMAC secret made the tag' })
  key_version!: number;

  @ApiProperty()
  algorithm!: HmacAlgorithm;
}
