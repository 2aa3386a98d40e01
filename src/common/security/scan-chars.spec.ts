import { isLetter, isSpace, isWord, skipLetters, skipSpaces } from './scan-chars';

// Every UTF-16 code unit: the scanners must see exactly the classes the regexes they replace saw.
const CODE_UNITS = Array.from({ length: 0x10000 }, (_, c) => c);

function disagreements(re: RegExp, own: (c: number) => boolean): number[] {
  return CODE_UNITS.filter((c) => re.test(String.fromCharCode(c)) !== own(c));
}

describe('scanner character classes match the regex classes on every code unit', () => {
  it('\\w', () => expect(disagreements(/^\w$/, isWord)).toEqual([]));
  it('[a-z] under the i flag', () => expect(disagreements(/^[a-z]$/i, isLetter)).toEqual([]));
  it('\\s', () => expect(disagreements(/^\s$/, isSpace)).toEqual([]));
  it('(c | 0x20) equals a lower-case letter exactly for that letter and its capital (the in-tag scan tests o, n so)', () => {
    for (const letter of 'on') {
      // eslint-disable-next-line security/detect-non-literal-regexp -- `letter` is `o` or `n`, from the literal on the line above
      const re = new RegExp(`^${letter}$`, 'i');
      expect(CODE_UNITS.filter((c) => re.test(String.fromCharCode(c)) !== ((c | 0x20) === letter.charCodeAt(0)))).toEqual([]);
    }
  });

  it('reads nothing past the end of the string', () => {
    expect(isWord(''.charCodeAt(0))).toBe(false);
    expect(isLetter(''.charCodeAt(0))).toBe(false);
    expect(isSpace(''.charCodeAt(0))).toBe(false);
  });

  it('skips runs to their first non-member', () => {
    expect(skipSpaces('a \t\u00a0\u2028b', 1)).toBe(5);
    expect(skipSpaces('   ', 0)).toBe(3);
    expect(skipLetters('abC9', 0)).toBe(3);
    expect(skipLetters('abC', 0)).toBe(3);
    expect(skipLetters('9', 0)).toBe(0);
  });
});
