import { KeyObject } from 'node:crypto';
import { AuthenticationFailedError, aesGcmOpen, aesGcmSeal, createAes256Key } from '../primitives/aes-gcm';
import { KeyType } from './key-types';

const CHECK_PLAINTEXT = Buffer.from('mfn-master-key-check', 'ascii');
const CHECK_AAD = Buffer.from('mfn-master-key-check:v1', 'ascii');

/** Unwrapping failed: the master key is not the one the material was wrapped under, or the record was altered. */
export class KeyUnwrapError extends Error {
  constructor() {
    super('key material could not be unwrapped');
    this.name = 'KeyUnwrapError';
  }
}

/**
 * Wraps key material at rest with AES-256-GCM under the master key. The AAD binds each blob to
 * its key id, version and type, so a blob copied onto another key or version does not unwrap.
 * A key-check value (a wrapped constant) lets the service tell "wrong master key" from "damaged
 * record" before it touches any key.
 */
export class KeyWrapper {
  private readonly masterKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.masterKey = createAes256Key(masterKey);
  }

  wrap(material: Buffer, id: string, version: number, type: KeyType): string {
    return aesGcmSeal(this.masterKey, material, this.aad(id, version, type)).toString('base64');
  }

  unwrap(wrapped: string, id: string, version: number, type: KeyType): Buffer {
    try {
      return aesGcmOpen(this.masterKey, Buffer.from(wrapped, 'base64'), this.aad(id, version, type));
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

  private aad(id: string, version: number, type: KeyType): Buffer {
    return Buffer.from(`mfn-key-wrap:v1|${type}|${id}|${version}`, 'utf8');
  }
}
