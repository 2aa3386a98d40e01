"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MemoryBucketStore = exports.DEFAULT_MAX_BUCKETS = exports.MAX_IDLE_MS = void 0;
const token_bucket_1 = require("./token-bucket");
/** A bucket idle this long is dropped even when its window is longer (SERVICE.md §4: 1 h). */
exports.MAX_IDLE_MS = 3_600_000;
exports.DEFAULT_MAX_BUCKETS = 100_000;
/**
 * Token buckets in process memory, refilled lazily on access (no timer per bucket or hit).
 * Memory is bounded: the map is kept in least-recently-used order, so idle buckets are dropped
 * from its head as requests come in — a bucket idle for a whole window is full again, so
 * forgetting it changes nothing — and past `maxBuckets` the least recently used one goes.
 */
class MemoryBucketStore {
    maxBuckets;
    now;
    buckets = new Map();
    constructor(maxBuckets = exports.DEFAULT_MAX_BUCKETS, now = () => performance.now()) {
        this.maxBuckets = maxBuckets;
        this.now = now;
    }
    get size() {
        return this.buckets.size;
    }
    take(key, capacity, windowMs) {
        const now = this.now();
        this.evictIdle(now, Math.min(windowMs, exports.MAX_IDLE_MS));
        let bucket = this.buckets.get(key);
        if (bucket === undefined) {
            if (this.buckets.size >= this.maxBuckets)
                this.evictOldest();
            bucket = { tokens: capacity, updatedAt: now };
        }
        else {
            this.buckets.delete(key);
            const elapsed = Math.max(0, now - bucket.updatedAt);
            bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / windowMs);
            bucket.updatedAt = now;
        }
        this.buckets.set(key, bucket);
        const allowed = bucket.tokens >= 1;
        if (allowed)
            bucket.tokens -= 1;
        return (0, token_bucket_1.outcomeOf)(allowed, bucket.tokens, capacity, windowMs);
    }
    clear() {
        this.buckets.clear();
    }
    evictIdle(now, idleMs) {
        for (const [key, bucket] of this.buckets) {
            if (now - bucket.updatedAt < idleMs)
                return;
            this.buckets.delete(key);
        }
    }
    evictOldest() {
        const oldest = this.buckets.keys().next();
        if (!oldest.done)
            this.buckets.delete(oldest.value);
    }
}
exports.MemoryBucketStore = MemoryBucketStore;
//# sourceMappingURL=memory-bucket.store.js.map