import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the CSPRNG at once; nonces are cut from them in order, each byte used once. */
const POOL_BYTES = 4096;

/**
 * Small random values (AES-GCM nonces) from a pool that OpenSSL's CSPRNG refills 4 KiB at a
 * time, the way Node batches the randomness behind crypto.randomUUID(): one call into OpenSSL
 * per ~340 nonces instead of one per message. Every byte is handed out once; the copy returned
 * is the caller's own buffer. (Each worker thread has its own pool.)
 */
export class RandomPool {
  private readonly pool = Buffer.allocUnsafeSlow(POOL_BYTES);
  private offset = POOL_BYTES;

  take(bytes: number): Buffer {
    if (bytes > POOL_BYTES / 4) {
      const out = Buffer.allocUnsafe(bytes);
      return randomFillSync(out);
    }
    if (this.offset + bytes > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const out = Buffer.allocUnsafe(bytes);
    this.pool.copy(out, 0, this.offset, this.offset + bytes);
    // Spent bytes are wiped so a nonce never lingers in the pool after it was handed out.
    this.pool.fill(0, this.offset, this.offset + bytes);
    this.offset += bytes;
    return out;
  }
}

const shared = new RandomPool();

/** `bytes` fresh random bytes (intended for nonces and other public random values). */
export function randomNonce(bytes: number): Buffer {
  return shared.take(bytes);
}
