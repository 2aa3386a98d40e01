/**
 * Strict standard base64 (RFC 4648 §4): the `+/` alphabet, `=` padding to a multiple of four
 * characters, no whitespace, and canonical pad bits (`QQ==` is accepted, `QR==` is not). The
 * previous service decoded leniently, so garbage silently became shorter or empty data.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;
const EQUALS = 0x3d;

/** True when `value` is canonical standard base64 (the empty string is valid and decodes to nothing). */
export function isStrictBase64(value: string): boolean {
  const length = value.length;
  if (length % 4 !== 0) return false;
  if (length === 0) return true;
  // Up to two `=` at the very end (a group of four holds at least two data characters).
  const padding = value.charCodeAt(length - 1) !== EQUALS ? 0 : value.charCodeAt(length - 2) !== EQUALS ? 1 : 2;
  const data = length - padding;
  // One pass over the data characters (a table lookup each; a regular expression with a
  // repeated group costs several times more on megabyte payloads).
  for (let i = 0; i < data; i++) {
    const code = value.charCodeAt(i);
    // eslint-disable-next-line security/detect-object-injection -- `code` is a char code below 128 (checked on the left), an index into a 128-entry Int8Array
    if (code >= 128 || INDEX[code] < 0) return false;
  }
  // The bits below the last full byte must be zero, otherwise two strings decode to the same bytes.
  if (padding === 2) return (INDEX[value.charCodeAt(length - 3)] & 0x0f) === 0;
  if (padding === 1) return (INDEX[value.charCodeAt(length - 2)] & 0x03) === 0;
  return true;
}

/** The decoded bytes, or undefined when `value` is not strict standard base64. */
export function decodeStrictBase64(value: string): Buffer | undefined {
  return isStrictBase64(value) ? Buffer.from(value, 'base64') : undefined;
}

/** Exact number of bytes a strict base64 string decodes to (without decoding it). */
export function decodedLength(value: string): number {
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}
