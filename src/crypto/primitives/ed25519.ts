import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/**
 * Ed25519 (RFC 8032, pure) through OpenSSL. Keys travel as raw bytes: the 32-byte private seed and
 * the 32-byte public key; signatures are R ‖ S (64 bytes). OpenSSL rejects S ≥ L and invalid
 * point encodings, so verification is strict without hand-written curve code.
 */
export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

// DER wrappers for raw keys (OID 1.3.101.112): PKCS#8 for the seed, SPKI for the public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface Ed25519KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32-byte private seed (secret). */
  seed: Buffer;
  /** The 32-byte public key. */
  publicRaw: Buffer;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length),
    publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
  };
}

/** Rebuilds the pair from its private seed (the only part the key store keeps secret). */
export function ed25519KeyPairFromSeed(seed: Buffer): Ed25519KeyPair {
  if (seed.length !== ED25519_SEED_BYTES) throw new RangeError(`Ed25519 seeds are ${ED25519_SEED_BYTES} bytes`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    seed: Buffer.from(seed),
    publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
  };
}

/** A public key object from 32 raw bytes, or undefined when the bytes are not a usable key. */
export function ed25519PublicKeyFromRaw(raw: Buffer): KeyObject | undefined {
  if (raw.length !== ED25519_PUBLIC_BYTES) return undefined;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

export function ed25519Sign(privateKey: KeyObject, message: Buffer): Buffer {
  return sign(null, message, privateKey);
}

/** False for any malformed input (wrong lengths, S ≥ L, not a point) instead of throwing. */
export function ed25519Verify(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
