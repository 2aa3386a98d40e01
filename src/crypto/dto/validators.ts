import { PipeTransform } from '@nestjs/common';
import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { AppException } from '../../common';
import { KEY_ID_PATTERN, TENANT_PATTERN } from '../keys/key-types';
import { isStrictBase64 } from '../primitives/base64';

/** Longest base64 field (plaintext, message, ciphertext), in characters. */
export const MAX_BASE64_CHARS = 1_048_576;
/** Largest decoded plaintext or message, in bytes. */
export const MAX_DECODED_BYTES = 1_048_576;
export const MAX_AAD_CHARS = 4096;
export const MAX_SIGNATURE_CHARS = 256;
export const MAX_PUBLIC_KEY_CHARS = 256;

export const KEY_ID_RULE = 'key_id must be 1-64 characters of A-Z a-z 0-9 . _ : -';

/**
 * Strict standard base64 (RFC 4648 §4). Non-strings pass here so that IsString reports them
 * once instead of every constraint complaining.
 */
export function IsStrictBase64(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStrictBase64',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isStrictBase64(value),
        defaultMessage: buildMessage((each) => `${each}$property must be standard base64 (RFC 4648 §4: A-Z a-z 0-9 + /, = padding)`, options),
      },
    },
    options,
  );
}

/** Key ids in URL paths: same rule as in bodies, 422 with the path location otherwise. */
export class KeyIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !KEY_ID_PATTERN.test(value)) {
      throw AppException.validation([{ field: 'path.key_id', message: KEY_ID_RULE }]);
    }
    return value;
  }
}

/** Tenant ids in URL paths (grants): 422 with the path location otherwise. */
export class TenantPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !TENANT_PATTERN.test(value)) {
      throw AppException.validation([{ field: 'path.grantee', message: 'grantee must be 1-64 characters of A-Z a-z 0-9 . _ @ -' }]);
    }
    return value;
  }
}
