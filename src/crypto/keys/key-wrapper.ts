import { KeyObject } from 'node:crypto';
import { AuthenticationFailedError, aesGcmOpen, aesGcmSeal, createAes256Key } from '../primitives/aes-gcm';
import { KeyType } from './key-types';

const CHECK_PLAINTEXT = Buffer.from('mfn-master-key-check', 'ascii');
const CHECK_AAD = Buffer.from('mfn-master-key-check:v1', 'ascii');

/** What a wrapped blob is bound to: its key, version, part and the version's public fields. */
export interface WrapContext {
  tenant: string;
  id: string;
  version: number;
  type: KeyType;
  /** `key` for the key's own material, `hmac` for the version's HMAC secret. */
  part: 'key' | 'hmac';
  createdAt: string;
  publicKey?: string;
}

/** Unwrapping failed: the master key is not the one the material was wrapped under, or the record was altered. */
export class KeyUnwrapError extends Error {
  constructor() {
    super('key material could not be unwrapped');
    this.name = 'KeyUnwrapError';
  }
}

/**
 * Wraps key material at rest with AES-256-GCM under the master key. The AAD binds each blob to
 * its tenant, key id, version, type, part, creation time and public key, so a blob (or a public
 * key) copied onto another key, version or tenant does not unwrap. A key-check value (a wrapped
 * constant) lets the service tell "wrong master key" from "damaged record" before it touches any key.
 */
export class KeyWrapper {
  private readonly masterKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.masterKey = createAes256Key(masterKey);
  }

  wrap(material: Buffer, context: WrapContext): string {
    return aesGcmSeal(this.masterKey, material, aad(context)).toString('base64');
  }

  unwrap(wrapped: string, context: WrapContext): Buffer {
    try {
      return aesGcmOpen(this.masterKey, Buffer.from(wrapped, 'base64'), aad(context));
    } catch (err) {
      if (err instanceof AuthenticationFailedError) throw new KeyUnwrapError();
      throw err;
    }
  }

  /** A fresh key-check value for this master key. */
  checkValue(): string {
    return aesGcmSeal(this.masterKey, CHECK_PLAINTEXT, CHECK_AAD).toString('base64');
  }

  /** True when `value` was made by `checkValue()` under this same master key. */
  matches(value: string): boolean {
    try {
      return aesGcmOpen(this.masterKey, Buffer.from(value, 'base64'), CHECK_AAD).equals(CHECK_PLAINTEXT);
    } catch {
      return false;
    }
  }
}

/** JSON of a fixed field order: unambiguous whatever characters the fields hold. */
function aad(c: WrapContext): Buffer {
  return Buffer.from(
    JSON.stringify(['mfn-key-wrap:v2', c.tenant, c.id, c.version, c.type, c.part, c.createdAt, c.publicKey ?? null]),
    'utf8',
  );
}
