import { hkdfSync } from 'node:crypto';

/**
 * HKDF-SHA256 (RFC 5869, extract then expand) through OpenSSL. Output is bounded to 16..64 bytes:
 * below 16 is too short for any key the service uses, and above 64 the caller wants several keys,
 * which are better derived separately under distinct `info` values.
 */
export const HKDF_MIN_BYTES = 16;
export const HKDF_MAX_BYTES = 64;

/** The requested output length is not an integer in HKDF_MIN_BYTES..HKDF_MAX_BYTES. */
export class HkdfLengthError extends RangeError {
  constructor() {
    super(`HKDF output length must be an integer from ${HKDF_MIN_BYTES} to ${HKDF_MAX_BYTES} bytes`);
    this.name = 'HkdfLengthError';
  }
}

/**
 * HKDF-SHA256(ikm, salt, info) → `length` bytes. An empty salt means HashLen zero bytes
 * (RFC 5869 §2.2); node:crypto refuses `info` longer than 1024 bytes.
 */
export function hkdfSha256(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  if (!Number.isInteger(length) || length < HKDF_MIN_BYTES || length > HKDF_MAX_BYTES) throw new HkdfLengthError();
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}
