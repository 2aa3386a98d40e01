/**
 * Strict standard base64 (RFC 4648 §4): the `+/` alphabet, `=` padding to a multiple of four
 * characters, no whitespace, and canonical pad bits (`QQ==` is accepted, `QR==` is not). The
 * previous service decoded leniently, so garbage silently became shorter or empty data.
 */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/** True when `value` is canonical standard base64 (the empty string is valid and decodes to nothing). */
export function isStrictBase64(value: string): boolean {
  if (value.length % 4 !== 0 || !STANDARD_BASE64.test(value)) return false;
  // The bits below the last full byte must be zero, otherwise two strings decode to the same bytes.
  if (value.endsWith('==')) return (INDEX[value.charCodeAt(value.length - 3)] & 0x0f) === 0;
  if (value.endsWith('=')) return (INDEX[value.charCodeAt(value.length - 2)] & 0x03) === 0;
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
