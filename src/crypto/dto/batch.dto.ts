import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AssociatedDataField, CiphertextField, HmacField, KeyVersionField, PlaintextField, SignatureField } from './fields';
import { IsStrictBase64, MAX_BASE64_CHARS } from './validators';

/**
 * The most items MFN_CRYPTO_MAX_BATCH_ITEMS may allow (its upper bound in
 * src/config/load-config.ts): the batch routes' body shape limits are sized for it.
 */
export const BATCH_ITEMS_CEILING = 10_000;

/** JSON values one item may hold: the object, and three fields with their names. */
const VALUES_PER_ITEM = 8;

/**
 * Body shape limits of the routes taking `batch_input` (see @BodyLimits): room for a full batch
 * plus the request's own fields; strings keep the byte limit (base64 payloads).
 */
export const BATCH_BODY_LIMITS = Object.freeze({
  maxValues: BATCH_ITEMS_CEILING * VALUES_PER_ITEM + 256,
  maxContainers: BATCH_ITEMS_CEILING + 32,
});

/** One item of an encrypt batch; key_id and tenant are the request's. */
export class EncryptBatchItemDto {
  @PlaintextField()
  plaintext!: string;

  @AssociatedDataField()
  associated_data?: string;

  @KeyVersionField()
  key_version?: number;
}

/** One item of a decrypt batch. */
export class DecryptBatchItemDto {
  @CiphertextField()
  ciphertext!: string;

  @AssociatedDataField('The associated data given to encrypt, standard base64')
  associated_data?: string;
}

/** One item of a rewrap batch. */
export class RewrapBatchItemDto {
  @CiphertextField('Ciphertext to re-encrypt (`mfn:v<N>:<base64>`)')
  ciphertext!: string;

  @AssociatedDataField('The associated data given to encrypt; the new ciphertext is bound to it too')
  associated_data?: string;

  @KeyVersionField()
  key_version?: number;
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

export class VerifyBatchItemDto {
  @ApiProperty({ description: 'Signed or MACed message, standard base64', minLength: 1, maxLength: MAX_BASE64_CHARS })
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  message!: string;

  @SignatureField()
  signature?: string;

  @HmacField()
  hmac?: string;
}

export class HmacBatchItemDto {
  @ApiProperty({ description: 'Data to authenticate, standard base64', minLength: 1, maxLength: MAX_BASE64_CHARS })
  @IsString()
  @Length(1, MAX_BASE64_CHARS)
  @IsStrictBase64()
  input!: string;

  @KeyVersionField()
  key_version?: number;
}

/** A failed item, in its place among the results. */
export class BatchItemErrorDto {
  @ApiProperty({ example: { code: 'DECRYPTION_FAILED', message: 'Decryption failed' } })
  error!: { code: string; message: string };
}

/** Answer to a `batch_input` request: one entry per item, in the items' order. */
export class BatchResponseDto<T> {
  @ApiProperty({ description: "Per item, in order: the single call's response, or `{error: {code, message}}`", type: 'array', items: { type: 'object' } })
  batch_results!: (T | BatchItemErrorDto)[];
}
