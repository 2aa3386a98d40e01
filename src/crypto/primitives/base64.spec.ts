import fc from 'fast-check';
import { decodeStrictBase64, decodedLength, isStrictBase64 } from './base64';

describe('strict base64', () => {
  it.each(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy', '+/+/', 'AAAA'])('accepts %p', (s) => {
    expect(isStrictBase64(s)).toBe(true);
    expect(decodeStrictBase64(s)?.toString('base64')).toBe(s);
    expect(decodedLength(s)).toBe(Buffer.from(s, 'base64').length);
  });

  it.each([
    ['non-alphabet characters', '!!!!'],
    ['URL-safe alphabet', '-_-_'],
    ['missing padding', 'Zg'],
    ['wrong length', 'Zm9vY'],
    ['padding in the middle', 'Zg==Zg=='],
    ['too much padding', 'Z==='],
    ['whitespace', 'Zm9v Zm9v'],
    ['trailing newline', 'Zm9v\n'],
    ['non-canonical pad bits (two pads)', 'Zh=='],
    ['non-canonical pad bits (one pad)', 'Zm9='],
    ['the previous service turned this into empty bytes', '!!!'],
  ])('rejects %s', (_label, s) => {
    expect(isStrictBase64(s)).toBe(false);
    expect(decodeStrictBase64(s)).toBeUndefined();
  });
});

describe('strict base64 check against the RFC 4648 grammar', () => {
  // The grammar as a regular expression plus the canonical pad-bit rule: the reference the
  // single-pass check must agree with on every input.
  // eslint-disable-next-line security/detect-unsafe-regex -- test oracle run on short generated strings; groups of exactly four characters can end in one place only (linear)
  const GRAMMAR = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const reference = (s: string) =>
    GRAMMAR.test(s) && Buffer.from(s, 'base64').toString('base64') === s;
  // Thousands of runs with an expect each (1-2 s on a loaded machine): above the unit limit.
  const RUNS_TIMEOUT_MS = 20_000;

  it('agrees with the grammar on random strings near the alphabet', () => {
    const chars = fc.constantFrom(...'ABCDQRgwxyz019+/=-_ \n!é'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 16 }), (list) => {
        const s = list.join('');
        expect(isStrictBase64(s)).toBe(reference(s));
      }),
      { numRuns: 20000, seed: 4648 },
    );
  }, RUNS_TIMEOUT_MS);

  it('agrees on encodings of random bytes and on single-character corruptions of them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.constantFrom('=', '-', '*', 'A', '/'), (bytes, at, ch) => {
        const good = Buffer.from(bytes).toString('base64');
        expect(isStrictBase64(good)).toBe(true);
        if (good.length === 0) return;
        const i = at % good.length;
        const bad = good.slice(0, i) + ch + good.slice(i + 1);
        expect(isStrictBase64(bad)).toBe(reference(bad));
      }),
      { numRuns: 5000, seed: 7 },
    );
  }, RUNS_TIMEOUT_MS);
});
