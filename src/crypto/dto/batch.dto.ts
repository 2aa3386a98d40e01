import { ApiProperty } from '@nestjs/swagger';

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
