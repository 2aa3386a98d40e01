import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { nullAsAbsent } from '../../common/pipes/value-transforms';
import { KEY_ID_PATTERN, TENANT_PATTERN } from '../keys/key-types';
import { HMAC_ALGORITHMS } from '../primitives/hmac';
import { IsStrictBase64, KEY_ID_RULE, MAX_AAD_CHARS, MAX_BASE64_CHARS, MAX_SIGNATURE_CHARS } from './validators';

/*
 * Field decorators shared by the crypto DTOs: each field is documented and validated the same
 * way wherever it appears (single requests and batch items).
 */

/** A key id of the form the service generates, for examples. */
export const EXAMPLE_KEY_ID = 'key_0123456789abcdef0123456789abcdef';

const KEY_ID_DOC = {
  description:
    'Key id (1-64 of A-Z a-z 0-9 . _ : -). Unknown ids give 404; without it the default key is used ' +
    '(created on first encrypt/sign).',
  maxLength: 64,
  pattern: KEY_ID_PATTERN.source,
  example: EXAMPLE_KEY_ID,
} as const;

/**
 * JSON null in an optional field means "absent", as the previous service read it (IsOptional
 * alone would let the null through to the handler).
 */
export function NullAsAbsent(): PropertyDecorator {
  return Transform(nullAsAbsent);
}

/** Optional key id: documented and validated the same way on every request body. */
export function KeyIdField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(KEY_ID_DOC), NullAsAbsent(), IsOptional(), IsString(), Matches(KEY_ID_PATTERN, { message: KEY_ID_RULE }));
}

export const TENANT_RULE = 'tenant must be 1-64 characters of A-Z a-z 0-9 . _ @ -';

/** Owner of a key shared with the caller (absent: the caller's own tenant). */
export function TenantField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: "Tenant that owns key_id, when the key is another tenant's key shared with you (absent: your own)",
      maxLength: 64,
      pattern: TENANT_PATTERN.source,
    }),
    NullAsAbsent(),
    IsOptional(),
    IsString(),
    Matches(TENANT_PATTERN, { message: TENANT_RULE }),
  );
}

/** Optional key version for encrypt/sign: at least the key's min_encryption_version, at most its latest. */
export function KeyVersionField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Key version to use (default: the latest)', minimum: 1, example: 1 }),
    NullAsAbsent(),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(2_147_483_647),
  );
}

/** Associated data bound to a ciphertext, standard base64 (absent = empty). */
export function AssociatedDataField(description = 'Associated data bound to the ciphertext, standard base64 (absent = empty)'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, maxLength: MAX_AAD_CHARS }),
    NullAsAbsent(),
    IsOptional(),
    IsString(),
    MaxLength(MAX_AAD_CHARS),
    IsStrictBase64(),
  );
}

/** Data to encrypt, standard base64. */
export function PlaintextField(): PropertyDecorator {
  return applyDecorators(
    // Documented as required (a batch call gives it in the items instead); the request's
    // `plaintext?` would otherwise make the compiler plugin document it as optional.
    ApiProperty({ description: 'Data to encrypt, standard base64', required: true, minLength: 1, maxLength: MAX_BASE64_CHARS, example: 'aGVsbG8=' }),
    IsString(),
    Length(1, MAX_BASE64_CHARS),
    IsStrictBase64(),
  );
}

/** A versioned ciphertext (`mfn:v<N>:<base64>`); whether it opens is the service's question. */
export function CiphertextField(description = 'Ciphertext from /api/encrypt (`mfn:v<N>:<base64>`); a value without the version prefix is refused'): PropertyDecorator {
  // Documented as required, as PlaintextField is.
  return applyDecorators(ApiProperty({ description, required: true, minLength: 1, maxLength: MAX_BASE64_CHARS }), IsString(), Length(1, MAX_BASE64_CHARS));
}

/**
 * `batch_input`: the items of a batch call, instead of the single fields. Only the list is
 * checked here (an array of at least one item); its length against MFN_CRYPTO_MAX_BATCH_ITEMS
 * and each item's fields are checked by the service (src/crypto/batch.ts), so that a bad item
 * answers in place.
 */
export function BatchInputField(itemFields: string, itemClass: () => new () => object): PropertyDecorator {
  return applyDecorators(
    // Items become item-DTO instances as the body is transformed; runBatch validates each one.
    Type(itemClass),
    ApiPropertyOptional({
      description: `Items to process with the same key, instead of the single fields (at most MFN_CRYPTO_MAX_BATCH_ITEMS); each item: ${itemFields}`,
      type: 'array',
      items: { type: 'object' },
      minItems: 1,
    }),
    // null is not "absent" here: it would reach the service as a list that is not one (422 instead).
    ValidateIf((_dto: unknown, value: unknown) => value !== undefined),
    IsArray(),
    ArrayMinSize(1),
  );
}

/** `mfn:v<N>:` + base64 of a 64-byte tag is far below this; the bound only caps the work. */
export const MAX_HMAC_CHARS = 256;

/** Optional HMAC algorithm: absent means sha2-256; null or any other name is a 422. */
export function HmacAlgorithmField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: HMAC_ALGORITHMS, default: 'sha2-256', description: 'HMAC hash, exact case' }),
    ValidateIf((_dto: unknown, value: unknown) => value !== undefined),
    IsIn(HMAC_ALGORITHMS, { message: `algorithm must be one of ${HMAC_ALGORITHMS.join(', ')}` }),
  );
}

const SIGNATURE_DOC = {
  description:
    'Signature from /api/sign (`mfn:v<N>:<base64>`); bare base64 of 64 bytes only with public_key; anything malformed verifies as false. ' +
    'Exactly one of signature and hmac.',
  minLength: 1,
  maxLength: MAX_SIGNATURE_CHARS,
} as const;

const HMAC_DOC = {
  description: 'HMAC from /api/hmac (`mfn:v<N>:<base64>`), compared in constant time; exactly one of signature and hmac',
  minLength: 1,
  maxLength: MAX_HMAC_CHARS,
} as const;

/** A signature to verify (exactly one of signature and hmac). */
export function SignatureField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(SIGNATURE_DOC), NullAsAbsent(), IsOptional(), IsString(), Length(1, MAX_SIGNATURE_CHARS));
}

/** An HMAC to verify (exactly one of signature and hmac). */
export function HmacField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(HMAC_DOC), NullAsAbsent(), IsOptional(), IsString(), Length(1, MAX_HMAC_CHARS));
}
