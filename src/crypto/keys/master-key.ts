import { randomBytes } from 'node:crypto';
import { decodeStrictBase64 } from '../primitives/base64';

export const MASTER_KEY_SECRET = 'MFN_MASTER_KEY';
export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  bytes: Buffer;
  /** True when no master key was configured and a random one was made for this process. */
  generated: boolean;
}

/** Start-up failure about the master key; the message is one line and never contains the key. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/**
 * Resolves the master key from its secret value: base64 of exactly 32 bytes. Missing is fatal
 * in prod; elsewhere a random key is generated (the caller warns that keys will not survive).
 */
export function resolveMasterKey(secretValue: string | undefined, env: string): MasterKey {
  const value = secretValue?.trim();
  if (!value) {
    if (env === 'prod') {
      throw new MasterKeyError(
        `${MASTER_KEY_SECRET} is required in prod (base64 of ${MASTER_KEY_BYTES} random bytes, e.g. from \`openssl rand -base64 32\`)`,
      );
    }
    return { bytes: randomBytes(MASTER_KEY_BYTES), generated: true };
  }
  const bytes = decodeStrictBase64(value);
  if (!bytes || bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${MASTER_KEY_SECRET} must be standard base64 of exactly ${MASTER_KEY_BYTES} bytes`);
  }
  return { bytes, generated: false };
}
