import { HKDF_MAX_BYTES, HKDF_MIN_BYTES, HkdfLengthError, hkdfSha256 } from './hkdf';

const hex = (h: string) => Buffer.from(h, 'hex');
/** The bytes from..to inclusive, as RFC 5869 test case 2 writes its inputs (0x00..0x4f and so on). */
const run = (from: number, to: number) => Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe('HKDF-SHA256 (RFC 5869 appendix A)', () => {
  it('test case 1: basic', () => {
    const okm = hkdfSha256(hex('0b'.repeat(22)), hex('000102030405060708090a0b0c'), hex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(okm.toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('test case 2: longer inputs (the first 64 of its 82 output bytes; HKDF output is a prefix stream)', () => {
    const okm = hkdfSha256(run(0x00, 0x4f), run(0x60, 0xaf), run(0xb0, 0xff), HKDF_MAX_BYTES);
    const published =
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
      '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
      'cc30c58179ec3e87c14c01d5c1f3434f1d87';
    expect(okm).toHaveLength(64);
    expect(okm.toString('hex')).toBe(published.slice(0, 128));
  });

  it('test case 3: zero-length salt and info', () => {
    const okm = hkdfSha256(hex('0b'.repeat(22)), Buffer.alloc(0), Buffer.alloc(0), 42);
    expect(okm.toString('hex')).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('treats an empty salt as 32 zero bytes (RFC 5869 §2.2)', () => {
    const ikm = hex('0b'.repeat(22));
    const empty = hkdfSha256(ikm, Buffer.alloc(0), Buffer.from('i'), 32);
    expect(empty.equals(hkdfSha256(ikm, Buffer.alloc(32), Buffer.from('i'), 32))).toBe(true);
  });

  it('returns a Buffer of exactly the asked length at both bounds', () => {
    for (const length of [HKDF_MIN_BYTES, 32, HKDF_MAX_BYTES]) {
      const okm = hkdfSha256(Buffer.alloc(32, 1), Buffer.alloc(0), Buffer.alloc(0), length);
      expect(Buffer.isBuffer(okm)).toBe(true);
      expect(okm).toHaveLength(length);
    }
  });

  it.each([0, HKDF_MIN_BYTES - 1, HKDF_MAX_BYTES + 1, 82, 32.5, -32, Number.NaN, Infinity])(
    'refuses output length %p with HkdfLengthError',
    (length) => {
      expect(() => hkdfSha256(Buffer.alloc(32, 1), Buffer.alloc(0), Buffer.alloc(0), length)).toThrow(HkdfLengthError);
    },
  );

  it('HkdfLengthError is a RangeError naming the bounds', () => {
    const error = new HkdfLengthError();
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe('HkdfLengthError');
    expect(error.message).toBe('HKDF output length must be an integer from 16 to 64 bytes');
  });
});
