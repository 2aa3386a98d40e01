import { KeyObject, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto';

/**
 * X25519 key agreement (RFC 7748) and the HKDF-SHA256 step that turns a shared secret into a
 * 32-byte key. OpenSSL clamps the scalar and ignores the top bit of the peer's u-coordinate, as the
 * RFC requires (the previous service's hand-written code did not mask it).
 */
export const X25519_KEY_BYTES = 32;
export const ECDH_HKDF_INFO_PREFIX = 'MFN-ECDH-v1';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32-byte private scalar (secret). */
  privateRaw: Buffer;
  publicRaw: Buffer;
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

export function x25519PublicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== X25519_KEY_BYTES) throw new RangeError(`X25519 public keys are ${X25519_KEY_BYTES} bytes`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** X25519(private, peer); refuses the all-zero result (RFC 7748 §6.1). */
export function x25519SharedSecret(privateKey: KeyObject, peerPublicRaw: Buffer): Buffer {
  const publicKey = x25519PublicKeyFromRaw(peerPublicRaw);
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch {
    // OpenSSL itself refuses an all-zero result; report it the same way.
    throw new WeakSharedSecretError();
  }
  if (shared.every((b) => b === 0)) throw new WeakSharedSecretError();
  return shared;
}

/** HKDF-SHA256(shared, salt = 32 zero bytes, info = "MFN-ECDH-v1" ‖ context, 32 bytes). */
export function deriveEcdhKey(sharedSecret: Buffer, context: Buffer = Buffer.alloc(0)): Buffer {
  const info = Buffer.concat([Buffer.from(ECDH_HKDF_INFO_PREFIX, 'ascii'), context]);
  return Buffer.from(hkdfSync('sha256', sharedSecret, Buffer.alloc(32), info, 32));
}
