/**
 * Character classes and steps for the hand-written pattern scan of `input-sanitiser.ts`.
 * Each class is exactly the regex class it replaces (for non-Unicode, case-insensitive regexes),
 * which `scan-chars.spec.ts` checks over every UTF-16 code unit. An index past the end reads
 * `NaN`, which belongs to no class, so the scanners need no bounds checks.
 */

/** `\w`: `[A-Za-z0-9_]`. */
export function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** `[a-z]` under the `i` flag: `[A-Za-z]` (no Unicode case folding without the `u` flag). */
export function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** `\s`: ECMAScript white space and line terminators. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 5760 ||
    (c >= 8192 && c <= 8202) ||
    c === 8232 ||
    c === 8233 ||
    c === 8239 ||
    c === 8287 ||
    c === 12288 ||
    c === 65279
  );
}

/** The first index at or after `at` that is not `\s` (reads each character of the run once). */
export function skipSpaces(s: string, at: number): number {
  let j = at;
  while (isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** The first index at or after `at` that is not `[A-Za-z]`. */
export function skipLetters(s: string, at: number): number {
  let j = at;
  while (isLetter(s.charCodeAt(j))) j++;
  return j;
}
