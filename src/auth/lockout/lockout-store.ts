/**
 * Where failed authentications are counted and locks are kept, per client address. Implemented
 * in process memory (MemoryLockoutStore) and in Redis (RedisLockoutStore, shared by replicas);
 * the app uses SharedLockoutStore, which picks between them. Injected under LOCKOUT_STORE, so a
 * test can put its own store (e.g. a memory store with a controlled clock) in its place.
 */
export const LOCKOUT_STORE = Symbol('LOCKOUT_STORE');

/** The rule a failure is counted against. */
export interface LockoutPolicy {
  /** Failures within one window that lock the address. */
  readonly maxFailures: number;
  /** The window opens at an address's first failure; its count is forgotten when it ends. */
  readonly windowMs: number;
  /** How long a lock lasts. */
  readonly lockMs: number;
}

export interface FailureOutcome {
  /** Failures counted in the current window, this one included (0 when the address was already locked). */
  readonly failures: number;
  /** True for exactly the failure that locked the address (one per lock, across replicas). */
  readonly lockedNow: boolean;
}

/** Sync answers from memory, promises from Redis: the in-memory path costs no promise. */
export interface LockoutStore {
  /** Milliseconds left of the address's lock; 0 when it is not locked. */
  lockRemainingMs(address: string): number | Promise<number>;
  /**
   * Counts one failed authentication of `address`. When it reaches the policy's threshold the
   * address is locked for `lockMs` and its count starts again from zero. Failures of an address
   * that is already locked are not counted (requests in flight when the lock was set).
   */
  recordFailure(address: string, policy: LockoutPolicy): FailureOutcome | Promise<FailureOutcome>;
}

export const NOT_COUNTED: FailureOutcome = Object.freeze({ failures: 0, lockedNow: false });
