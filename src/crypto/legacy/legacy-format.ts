import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PBKDF2_DEFAULT_ITERATIONS, pbkdf2Sha256 } from '../primitives/pbkdf2';

/**
 * The legacy `encrypt_data` / `decrypt_data` token format, kept as a library for
 * data that already exists in it. No HTTP route uses it; new data should use AES-256-GCM.
 *
 * Token = URL-safe base64 (padded) of salt(16) ‖ IV(16) ‖ ciphertext ‖ tag(32), where
 * dk = PBKDF2-HMAC-SHA256(masterKey, salt, 100,000, 32 bytes), the ciphertext is AES-128-CBC
 * (PKCS#7) under dk[0..16), and tag = HMAC-SHA256(dk[16..32), salt ‖ IV ‖ ciphertext). The tag is
 * checked in constant time before anything is decrypted.
 *
 * This follows the seed documentation, not the previous service's code (which XORed the data with
 * a repeating SHA-256 keystream and used one key for cipher and MAC): its tokens cannot be read here.
 */
const SALT_BYTES = 16;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const BLOCK_BYTES = 16;
const MIN_TOKEN_BYTES = SALT_BYTES + IV_BYTES + BLOCK_BYTES + TAG_BYTES;

// eslint-disable-next-line security/detect-unsafe-regex -- groups of exactly four characters, tested after a length % 4 check: the repetition can end in one place only (linear); library code that no route reaches
const URL_SAFE_BASE64 = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export interface LegacyFormatOptions {
  /** PBKDF2 iterations the token was (or will be) made with; 100,000 unless the data says otherwise. */
  iterations?: number;
}

/** Any token that cannot be read: malformed, wrong master key, tampered, or not UTF-8. */
export class LegacyDecryptionError extends Error {
  constructor() {
    super('legacy token could not be decrypted');
    this.name = 'LegacyDecryptionError';
  }
}

function keyBytes(masterKey: Buffer | string): Buffer {
  const bytes = typeof masterKey === 'string' ? Buffer.from(masterKey, 'utf8') : masterKey;
  if (bytes.length === 0) throw new RangeError('the legacy master key must not be empty');
  return bytes;
}

async function deriveKeys(masterKey: Buffer, salt: Buffer, iterations: number): Promise<{ encKey: Buffer; macKey: Buffer }> {
  const dk = await pbkdf2Sha256(masterKey, salt, iterations, 32);
  return { encKey: dk.subarray(0, 16), macKey: dk.subarray(16, 32) };
}

function mac(macKey: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', macKey);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A random 32-byte master key, as the seed documentation prescribes. */
export function generateLegacyMasterKey(): Buffer {
  return randomBytes(32);
}

/** `encrypt_data`: seals UTF-8 text (or bytes) into a legacy token. */
export async function encryptData(
  plaintext: string | Buffer,
  masterKey: Buffer | string,
  options: LegacyFormatOptions = {},
): Promise<string> {
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const { encKey, macKey } = await deriveKeys(keyBytes(masterKey), salt, options.iterations ?? PBKDF2_DEFAULT_ITERATIONS);
  const cipher = createCipheriv('aes-128-cbc', encKey, iv);
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = mac(macKey, salt, iv, ciphertext);
  return Buffer.concat([salt, iv, ciphertext, tag]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** `decrypt_data`: opens a legacy token and returns the UTF-8 text. */
export async function decryptData(token: string, masterKey: Buffer | string, options: LegacyFormatOptions = {}): Promise<string> {
  if (typeof token !== 'string' || token.length % 4 !== 0 || !URL_SAFE_BASE64.test(token)) throw new LegacyDecryptionError();
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < MIN_TOKEN_BYTES || (raw.length - SALT_BYTES - IV_BYTES - TAG_BYTES) % BLOCK_BYTES !== 0) {
    throw new LegacyDecryptionError();
  }
  const salt = raw.subarray(0, SALT_BYTES);
  const iv = raw.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
  const ciphertext = raw.subarray(SALT_BYTES + IV_BYTES, raw.length - TAG_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const { encKey, macKey } = await deriveKeys(keyBytes(masterKey), salt, options.iterations ?? PBKDF2_DEFAULT_ITERATIONS);
  if (!timingSafeEqual(mac(macKey, salt, iv, ciphertext), tag)) throw new LegacyDecryptionError();
  try {
    const decipher = createDecipheriv('aes-128-cbc', encKey, iv);
    const data = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new LegacyDecryptionError();
  }
}
