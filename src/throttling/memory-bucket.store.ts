import { checkCost, outcomeOf, type BucketOutcome } from './token-bucket';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A bucket idle this long is dropped even when its window is longer. */
export const MAX_IDLE_MS = 3_600_000;
export const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * Token buckets in process memory, refilled lazily on access (no timer per bucket or hit).
 * Memory is bounded: the map is kept in least-recently-used order, so idle buckets are dropped
 * from its head as requests come in — a bucket idle for a whole window is full again, so
 * forgetting it changes nothing — and past `maxBuckets` the least recently used one goes.
 */
export class MemoryBucketStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Spends `cost` tokens when the bucket holds that many; a refused request spends nothing. */
  take(key: string, capacity: number, windowMs: number, cost = 1): BucketOutcome {
    if (cost !== 1) checkCost(cost);
    const now = this.now();
    this.evictIdle(now, Math.min(windowMs, MAX_IDLE_MS));
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.evictOldest();
      bucket = { tokens: capacity, updatedAt: now };
    } else {
      this.buckets.delete(key);
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / windowMs);
      bucket.updatedAt = now;
    }
    this.buckets.set(key, bucket);
    const allowed = bucket.tokens >= cost;
    if (allowed) bucket.tokens -= cost;
    return outcomeOf(allowed, bucket.tokens, capacity, windowMs, cost);
  }

  clear(): void {
    this.buckets.clear();
  }

  private evictIdle(now: number, idleMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < idleMs) return;
      this.buckets.delete(key);
    }
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
