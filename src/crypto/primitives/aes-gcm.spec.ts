import { createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import {
  AuthenticationFailedError,
  GCM_MIN_SEALED_BYTES,
  GCM_NONCE_BYTES,
  GCM_TAG_BYTES,
  aesGcmOpen,
  aesGcmSeal,
  createAes256Key,
} from './aes-gcm';

describe('AES-256-GCM', () => {
  const raw = randomBytes(32);
  const key = createAes256Key(raw);

  it('lays out nonce ‖ ciphertext ‖ tag, readable by a separate node:crypto decipher given the key', () => {
    const plaintext = Buffer.from('layout check: the quick brown fox');
    const aad = Buffer.from('context');
    const sealed = aesGcmSeal(key, plaintext, aad);
    expect(sealed.length).toBe(GCM_NONCE_BYTES + plaintext.length + GCM_TAG_BYTES);

    const decipher = createDecipheriv('aes-256-gcm', raw, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    decipher.setAAD(aad);
    const opened = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    expect(opened.equals(plaintext)).toBe(true);
  });

  it('opens what an independent node:crypto cipher sealed in the same layout', () => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', raw, nonce);
    const body = Buffer.concat([cipher.update(Buffer.from('from outside')), cipher.final()]);
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
    expect(aesGcmOpen(key, sealed).toString()).toBe('from outside');
  });

  it('uses a fresh nonce per message', () => {
    const a = aesGcmSeal(key, Buffer.from('same'));
    const b = aesGcmSeal(key, Buffer.from('same'));
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('round-trips empty and large plaintexts', () => {
    for (const size of [0, 1, 15, 16, 17, 65_537]) {
      const pt = randomBytes(size);
      expect(aesGcmOpen(key, aesGcmSeal(key, pt)).equals(pt)).toBe(true);
    }
    expect(aesGcmSeal(key, Buffer.alloc(0)).length).toBe(GCM_MIN_SEALED_BYTES);
  });

  it('treats absent and empty AAD alike, and refuses a different AAD', () => {
    const sealed = aesGcmSeal(key, Buffer.from('x'));
    expect(aesGcmOpen(key, sealed, Buffer.alloc(0)).toString()).toBe('x');
    expect(() => aesGcmOpen(key, sealed, Buffer.from('a'))).toThrow(AuthenticationFailedError);
    const bound = aesGcmSeal(key, Buffer.from('x'), Buffer.from('a'));
    expect(() => aesGcmOpen(key, bound)).toThrow(AuthenticationFailedError);
    expect(() => aesGcmOpen(key, bound, Buffer.from('b'))).toThrow(AuthenticationFailedError);
  });

  it('refuses every single-byte tamper, a wrong key and truncation', () => {
    const sealed = aesGcmSeal(key, Buffer.from('tamper me'));
    for (let i = 0; i < sealed.length; i++) {
      const t = Buffer.from(sealed);
      // eslint-disable-next-line security/detect-object-injection -- integer index into the tag's bytes
      t[i] ^= 0x80;
      expect(() => aesGcmOpen(key, t)).toThrow(AuthenticationFailedError);
    }
    expect(() => aesGcmOpen(createAes256Key(), sealed)).toThrow(AuthenticationFailedError);
    expect(() => aesGcmOpen(key, sealed.subarray(0, GCM_MIN_SEALED_BYTES - 1))).toThrow(AuthenticationFailedError);
    expect(() => aesGcmOpen(key, sealed.subarray(1))).toThrow(AuthenticationFailedError);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => createAes256Key(randomBytes(16))).toThrow(RangeError);
  });
});
