import {
  KeyObject,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  timingSafeEqual,
} from 'node:crypto';
import { hkdfSha256 } from './hkdf';

/**
 * X25519 key agreement (RFC 7748) and the HKDF-SHA256 step that turns a shared secret into a
 * 32-byte key. OpenSSL clamps the scalar and ignores the top bit of the peer's u-coordinate, as the
 * RFC requires (the previous service's hand-written code did not mask it). Any 32 bytes import as
 * a peer key; a small-order peer point (u = 0, 1, p − 1, the two order-8 points, and their
 * non-canonical encodings) makes the agreement all zeros, which OpenSSL refuses during derivation
 * and which is refused here again after it.
 */
export const X25519_KEY_BYTES = 32;
export const ECDH_HKDF_INFO_PREFIX = 'MFN-ECDH-v1';

const ALL_ZERO = Buffer.alloc(X25519_KEY_BYTES);
// OpenSSL's error for a derivation that produced the all-zero secret (seen as Error.code).
const ZERO_RESULT_CODE = 'ERR_OSSL_FAILED_DURING_DERIVATION';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32-byte private scalar (secret). */
  privateRaw: Buffer;
  publicRaw: Buffer;
}

/** The peer's public key is not 32 bytes. */
export class InvalidPeerKeyError extends Error {
  constructor() {
    super(`X25519 public keys are ${X25519_KEY_BYTES} bytes`);
    this.name = 'InvalidPeerKeyError';
  }
}

/** The agreement produced the all-zero secret: the peer sent a small-order point. */
export class WeakSharedSecretError extends Error {
  constructor() {
    super('key agreement produced an all-zero shared secret');
    this.name = 'WeakSharedSecretError';
  }
}

export function generateX25519KeyPair(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKey,
    publicKey,
    privateRaw: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length),
    publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
  };
}

export function x25519KeyPairFromPrivate(privateRaw: Buffer): X25519KeyPair {
  if (privateRaw.length !== X25519_KEY_BYTES) throw new RangeError(`X25519 keys are ${X25519_KEY_BYTES} bytes`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateRaw]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    privateRaw: Buffer.from(privateRaw),
    publicRaw: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length),
  };
}

/** A public key object from 32 raw bytes; any other length is an InvalidPeerKeyError. */
export function x25519PublicKeyFromRaw(raw: Buffer): KeyObject {
  if (!Buffer.isBuffer(raw) || raw.length !== X25519_KEY_BYTES) throw new InvalidPeerKeyError();
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/**
 * X25519(private, peer). Refuses a peer key that is not 32 bytes (InvalidPeerKeyError) and the
 * all-zero result of a small-order peer point (WeakSharedSecretError, RFC 7748 §6.1). A private
 * key that is not an X25519 private key is a programming error (TypeError).
 */
export function x25519SharedSecret(privateKey: KeyObject, peerPublicRaw: Buffer): Buffer {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'x25519') {
    throw new TypeError('X25519 agreement needs an X25519 private key');
  }
  const publicKey = x25519PublicKeyFromRaw(peerPublicRaw);
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch (error) {
    if ((error as { code?: unknown }).code === ZERO_RESULT_CODE) throw new WeakSharedSecretError();
    throw error;
  }
  // Compared in constant time: a secret's leading zero bytes must not show in the timing.
  if (timingSafeEqual(shared, ALL_ZERO)) throw new WeakSharedSecretError();
  return shared;
}

/** HKDF-SHA256(shared, salt = 32 zero bytes, info = "MFN-ECDH-v1" ‖ context, 32 bytes). */
export function deriveEcdhKey(sharedSecret: Buffer, context: Buffer = Buffer.alloc(0)): Buffer {
  const info = Buffer.concat([Buffer.from(ECDH_HKDF_INFO_PREFIX, 'ascii'), context]);
  return hkdfSha256(sharedSecret, Buffer.alloc(32), info, 32);
}
