import { KeyObject, createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with the service's wire layout: nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes).
 * A random 96-bit nonce per message keeps the nonce-reuse probability negligible for up to 2^32
 * messages per key version; rotate keys long before that.
 */
export const AES_256_KEY_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;
/** Shortest sealed value: nonce and tag around an empty ciphertext. */
export const GCM_MIN_SEALED_BYTES = GCM_NONCE_BYTES + GCM_TAG_BYTES;

/** The tag did not verify: wrong key, wrong AAD, tampered or truncated data. Deliberately says no more. */
export class AuthenticationFailedError extends Error {
  constructor() {
    super('authentication failed');
    this.name = 'AuthenticationFailedError';
  }
}

/** An AES-256 key object from 32 raw bytes (random when omitted). */
export function createAes256Key(raw: Buffer = randomBytes(AES_256_KEY_BYTES)): KeyObject {
  if (raw.length !== AES_256_KEY_BYTES) throw new RangeError(`AES-256 keys are ${AES_256_KEY_BYTES} bytes`);
  return createSecretKey(raw);
}

/**
 * Seals `plaintext` as `nonce ‖ ciphertext ‖ tag`. The nonce is 12 fresh random bytes: drawn here,
 * or handed in by a caller that drew the nonces of a whole batch in one CSPRNG call (each call
 * costs about as much as an AES-GCM seal of a kilobyte, whatever its size). A nonce handed in must
 * never have been used before.
 */
export function aesGcmSeal(key: KeyObject, plaintext: Buffer, aad?: Buffer, nonce: Buffer = randomBytes(GCM_NONCE_BYTES)): Buffer {
  if (nonce.length !== GCM_NONCE_BYTES) throw new RangeError(`AES-GCM nonces are ${GCM_NONCE_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  if (aad && aad.length > 0) cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  return Buffer.concat([nonce, body, tail, cipher.getAuthTag()]);
}

/** Opens `nonce ‖ ciphertext ‖ tag`; throws AuthenticationFailedError for anything that does not verify. */
export function aesGcmOpen(key: KeyObject, sealed: Buffer, aad?: Buffer): Buffer {
  if (sealed.length < GCM_MIN_SEALED_BYTES) throw new AuthenticationFailedError();
  const nonce = sealed.subarray(0, GCM_NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES);
  const body = sealed.subarray(GCM_NONCE_BYTES, sealed.length - GCM_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAuthTag(tag);
  if (aad && aad.length > 0) decipher.setAAD(aad);
  try {
    const head = decipher.update(body);
    return Buffer.concat([head, decipher.final()]);
  } catch {
    throw new AuthenticationFailedError();
  }
}
