/* eslint-disable security/detect-object-injection -- test code: RFC 4231 tables are Records over HmacAlgorithm indexed by HMAC_ALGORITHMS, and tag bytes are flipped by integer index */
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  HMAC_ALGORITHMS,
  HMAC_KEY_BYTES,
  HMAC_MIN_KEY_BYTES,
  HMAC_TAG_BYTES,
  HmacAlgorithm,
  createHmacKey,
  hmacDigest,
  hmacEqual,
  isHmacAlgorithm,
} from './hmac';
import { RFC_4231 } from '../../../test/fixtures/rfc4231-vectors';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('HMAC-SHA-2 (RFC 4231)', () => {
  const vectors = RFC_4231.flatMap((c) => HMAC_ALGORITHMS.map((algorithm) => ({ ...c, algorithm })));

  it.each(vectors)('$name with $algorithm', ({ key, data, algorithm, macs, truncatedTo }) => {
    const expected = macs[algorithm];
    // As a raw Buffer and as a key object (the RFC keys are below createHmacKey's floor).
    for (const k of [hex(key), createSecretKey(hex(key))]) {
      const tag = hmacDigest(k, algorithm, hex(data));
      expect(tag).toHaveLength(HMAC_TAG_BYTES[algorithm]);
      const compared = truncatedTo === undefined ? tag : tag.subarray(0, truncatedTo);
      expect(compared.toString('hex')).toBe(expected);
    }
  });

  it('covers all seven test cases for every algorithm', () => {
    expect(vectors).toHaveLength(7 * 3);
    for (const c of RFC_4231) {
      for (const algorithm of HMAC_ALGORITHMS) {
        expect(c.macs[algorithm]).toHaveLength(2 * (c.truncatedTo ?? HMAC_TAG_BYTES[algorithm]));
      }
    }
  });

  it('refuses an algorithm outside the list, whatever the caller passed', () => {
    for (const name of ['sha256', 'SHA2-256', 'sha2-224', 'sha1', 'md5', '']) {
      expect(isHmacAlgorithm(name)).toBe(false);
      expect(() => hmacDigest(hex('00'.repeat(32)), name as HmacAlgorithm, Buffer.alloc(0))).toThrow(TypeError);
    }
    expect(HMAC_ALGORITHMS.every(isHmacAlgorithm)).toBe(true);
  });

  it('refuses an asymmetric key object', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => hmacDigest(privateKey, 'sha2-256', Buffer.from('x'))).toThrow();
  });
});

describe('createHmacKey', () => {
  it('makes a secret key object that computes the same tag as the raw bytes', () => {
    const raw = randomBytes(HMAC_KEY_BYTES);
    const key = createHmacKey(raw);
    expect(key.type).toBe('secret');
    expect(key.symmetricKeySize).toBe(HMAC_KEY_BYTES);
    const data = Buffer.from('same tag');
    expect(hmacDigest(key, 'sha2-512', data).equals(createHmac('sha512', raw).update(data).digest())).toBe(true);
  });

  it('generates distinct 64-byte keys when no bytes are given', () => {
    const a = createHmacKey();
    const b = createHmacKey();
    expect(a.symmetricKeySize).toBe(HMAC_KEY_BYTES);
    expect(a.export().equals(b.export())).toBe(false);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => createHmacKey(randomBytes(HMAC_MIN_KEY_BYTES - 1))).toThrow(RangeError);
    expect(() => createHmacKey(Buffer.alloc(0))).toThrow(RangeError);
    expect(createHmacKey(randomBytes(HMAC_MIN_KEY_BYTES)).symmetricKeySize).toBe(HMAC_MIN_KEY_BYTES);
  });
});

describe('hmacEqual', () => {
  it('is true only for identical bytes', () => {
    const tag = hmacDigest(createHmacKey(), 'sha2-256', Buffer.from('m'));
    expect(hmacEqual(tag, Buffer.from(tag))).toBe(true);
    for (let i = 0; i < tag.length; i++) {
      const other = Buffer.from(tag);
      other[i] ^= 0x01;
      expect(hmacEqual(tag, other)).toBe(false);
    }
  });

  it('answers false, without throwing, for different lengths (a truncated or extended tag)', () => {
    const tag = hmacDigest(createHmacKey(), 'sha2-384', Buffer.from('m'));
    expect(hmacEqual(tag, tag.subarray(0, 16))).toBe(false);
    expect(hmacEqual(tag.subarray(0, 16), tag)).toBe(false);
    expect(hmacEqual(tag, Buffer.concat([tag, Buffer.alloc(1)]))).toBe(false);
    expect(hmacEqual(tag, Buffer.alloc(0))).toBe(false);
    expect(hmacEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});

