import { pbkdf2 } from 'node:crypto';

/**
 * PBKDF2-HMAC-SHA256. Runs on libuv's thread pool (async), so a 100,000-iteration derivation does
 * not stall the event loop.
 */
export const PBKDF2_DEFAULT_ITERATIONS = 100_000;
/** Below this the derivation is too cheap to slow down a password guesser; refused outright. */
export const PBKDF2_MIN_ITERATIONS = 10_000;

export function pbkdf2Sha256(
  password: Buffer | string,
  salt: Buffer,
  iterations: number = PBKDF2_DEFAULT_ITERATIONS,
  length = 32,
): Promise<Buffer> {
  if (!Number.isInteger(iterations) || iterations < PBKDF2_MIN_ITERATIONS) {
    return Promise.reject(new RangeError(`PBKDF2 needs at least ${PBKDF2_MIN_ITERATIONS} iterations`));
  }
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, length, 'sha256', (err, key) => (err ? reject(err) : resolve(key)));
  });
}
