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
