import { KeyObject, createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HMAC (RFC 2104) over the SHA-2 family through OpenSSL. Algorithms are named `sha2-<bits>` so a
 * stored name says which hash family it means; each maps to the node:crypto digest of that size.
 */
export const HMAC_ALGORITHMS = ['sha2-256', 'sha2-384', 'sha2-512'] as const;
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

const NODE_DIGEST: Readonly<Record<HmacAlgorithm, string>> = {
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
};

/** Tag length in bytes per algorithm (the digest length; tags are never truncated here). */
export const HMAC_TAG_BYTES: Readonly<Record<HmacAlgorithm, number>> = {
  'sha2-256': 32,
  'sha2-384': 48,
  'sha2-512': 64,
};

/**
 * Generated keys are 64 bytes: a full SHA-512 output and exactly one SHA-256 block, so no
 * algorithm hashes the key down first. Shorter than 32 bytes is refused: RFC 2104 §3 discourages
 * keys shorter than the tag, and 32 bytes is the strength of the smallest tag here.
 */
export const HMAC_KEY_BYTES = 64;
export const HMAC_MIN_KEY_BYTES = 32;

export function isHmacAlgorithm(value: unknown): value is HmacAlgorithm {
  return typeof value === 'string' && (HMAC_ALGORITHMS as readonly string[]).includes(value);
}

/** An HMAC secret key object from raw bytes (64 random bytes when omitted). */
export function createHmacKey(raw: Buffer = randomBytes(HMAC_KEY_BYTES)): KeyObject {
  if (raw.length < HMAC_MIN_KEY_BYTES) throw new RangeError(`HMAC keys are at least ${HMAC_MIN_KEY_BYTES} bytes`);
  return createSecretKey(raw);
}

/**
 * The full-length tag HMAC-<algorithm>(key, data). A raw Buffer key is taken as it is (any length,
 * as RFC 2104 allows), which is what the RFC 4231 vectors need; stored keys go through createHmacKey.
 */
export function hmacDigest(key: KeyObject | Buffer, algorithm: HmacAlgorithm, data: Buffer): Buffer {
  if (!isHmacAlgorithm(algorithm)) throw new TypeError('unsupported HMAC algorithm');
  // eslint-disable-next-line security/detect-object-injection -- `algorithm` is an HmacAlgorithm and NODE_DIGEST a Record over that closed union
  return createHmac(NODE_DIGEST[algorithm], key).update(data).digest();
}

/**
 * Constant-time tag comparison. The length is compared first and openly: tag lengths are public
 * (fixed per algorithm), and timingSafeEqual throws on a length mismatch instead of answering.
 */
export function hmacEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
