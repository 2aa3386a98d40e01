"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RandomPool = void 0;
exports.randomNonce = randomNonce;
const node_crypto_1 = require("node:crypto");
/** Bytes drawn from the CSPRNG at once; nonces are cut from them in order, each byte used once. */
const POOL_BYTES = 4096;
/**
 * Small random values (AES-GCM nonces) from a pool that OpenSSL's CSPRNG refills 4 KiB at a
 * time, the way Node batches the randomness behind crypto.randomUUID(): one call into OpenSSL
 * per ~340 nonces instead of one per message. Every byte is handed out once; the copy returned
 * is the caller's own buffer. (Each worker thread has its own pool.)
 */
class RandomPool {
    pool = Buffer.allocUnsafeSlow(POOL_BYTES);
    offset = POOL_BYTES;
    take(bytes) {
        if (bytes > POOL_BYTES / 4) {
            const out = Buffer.allocUnsafe(bytes);
            return (0, node_crypto_1.randomFillSync)(out);
        }
        if (this.offset + bytes > POOL_BYTES) {
            (0, node_crypto_1.randomFillSync)(this.pool);
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
exports.RandomPool = RandomPool;
const shared = new RandomPool();
/** `bytes` fresh random bytes (intended for nonces and other public random values). */
function randomNonce(bytes) {
    return shared.take(bytes);
}
//# sourceMappingURL=random-pool.js.map