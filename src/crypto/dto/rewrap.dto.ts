import { ApiProperty, PickType } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { AssociatedDataField, BatchInputField, CiphertextField, KeyIdField, KeyVersionField, TenantField } from './fields';

export class RewrapRequestDto {
  @CiphertextField('Ciphertext to re-encrypt under the latest (or key_version) version of its key (`mfn:v<N>:<base64>`)')
  @ValidateIf((dto: RewrapRequestDto) => dto.batch_input === undefined)
  ciphertext?: string;

  @KeyIdField()
  key_id?: string;

  @TenantField()
  tenant?: string;

  @AssociatedDataField('The associated data given to encrypt; the new ciphertext is bound to it too')
  associated_data?: string;

  @KeyVersionField()
  key_version?: number;

  @BatchInputField("{ciphertext, associated_data?, key_version?} (key_version defaults to the request's)", () => RewrapBatchItemDto)
  batch_input?: unknown[];
}

/** One item of a rewrap batch: the request's single fields (see the batch items in crypto.dto.ts). */
export class RewrapBatchItemDto extends PickType(RewrapRequestDto, ['ciphertext', 'associated_data', 'key_version']) {
  declare ciphertext: string;
}

export class RewrapResponseDto {
  @ApiProperty({ description: 'The same plaintext encrypted again: `mfn:v<version>:` + base64(nonce ‖ ciphertext ‖ tag)' })
  ciphertext!: string;

  @ApiProperty()
  key_id!: string;

  @ApiProperty({ description: 'Key version of the new ciphertext' })
  key_version!: number;
}
