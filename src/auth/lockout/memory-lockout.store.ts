import { NOT_COUNTED, type FailureOutcome, type LockoutPolicy, type LockoutStore } from './lockout-store';

export const DEFAULT_MAX_ADDRESSES = 100_000;

interface Counter {
  failures: number;
  windowEndsAt: number;
}

/**
 * Failure counts and locks in process memory. No timers: state is checked against the clock on
 * access. Two bounded maps, each in insertion order — a count is (re)inserted when its window
 * opens and a lock when it is set, and the policy is the same for every address, so the head of
 * each map is always the entry that expires first. Expired entries are dropped from the heads as
 * requests come in; past `maxAddresses` the oldest entry of that map goes (least recently
 * started). Counts and locks are kept apart so that a flood of single failures from many
 * addresses evicts only other counts, never a lock.
 */
export class MemoryLockoutStore implements LockoutStore {
  private readonly counters = new Map<string, Counter>();
  private readonly locks = new Map<string, number>();

  constructor(
    private readonly maxAddresses = DEFAULT_MAX_ADDRESSES,
    /** Milliseconds, monotonic. Tests pass their own clock. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Addresses with a live count or lock (expired ones may still be counted until evicted). */
  get size(): { counters: number; locks: number } {
    return { counters: this.counters.size, locks: this.locks.size };
  }

  lockRemainingMs(address: string): number {
    const now = this.now();
    this.evictExpired(now);
    const until = this.locks.get(address);
    return until === undefined || until <= now ? 0 : until - now;
  }

  recordFailure(address: string, policy: LockoutPolicy): FailureOutcome {
    const now = this.now();
    this.evictExpired(now);
    const lockedUntil = this.locks.get(address);
    if (lockedUntil !== undefined && lockedUntil > now) return NOT_COUNTED;

    let counter = this.counters.get(address);
    if (counter === undefined || counter.windowEndsAt <= now) {
      this.counters.delete(address);
      if (this.counters.size >= this.maxAddresses) evictOldest(this.counters);
      counter = { failures: 0, windowEndsAt: now + policy.windowMs };
      this.counters.set(address, counter);
    }
    counter.failures += 1;
    if (counter.failures < policy.maxFailures) return { failures: counter.failures, lockedNow: false };

    this.counters.delete(address);
    this.locks.delete(address);
    if (this.locks.size >= this.maxAddresses) evictOldest(this.locks);
    this.locks.set(address, now + policy.lockMs);
    return { failures: counter.failures, lockedNow: true };
  }

  clear(): void {
    this.counters.clear();
    this.locks.clear();
  }

  private evictExpired(now: number): void {
    for (const [address, until] of this.locks) {
      if (until > now) break;
      this.locks.delete(address);
    }
    for (const [address, counter] of this.counters) {
      if (counter.windowEndsAt > now) break;
      this.counters.delete(address);
    }
  }
}

function evictOldest(map: Map<string, unknown>): void {
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}
