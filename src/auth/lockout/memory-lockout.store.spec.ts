import { MemoryLockoutStore } from './memory-lockout.store';

const POLICY = { maxFailures: 3, windowMs: 10_000, lockMs: 60_000 };

function clocked(maxAddresses?: number) {
  let now = 1_000;
  const store = new MemoryLockoutStore(maxAddresses, () => now);
  return { store, advance: (ms: number) => (now += ms) };
}

describe('MemoryLockoutStore', () => {
  it('locks an address at the threshold, once, and only that address', () => {
    const { store } = clocked();
    expect(store.recordFailure('10.0.0.1', POLICY)).toEqual({ failures: 1, lockedNow: false });
    expect(store.recordFailure('10.0.0.1', POLICY)).toEqual({ failures: 2, lockedNow: false });
    expect(store.lockRemainingMs('10.0.0.1')).toBe(0);
    expect(store.recordFailure('10.0.0.1', POLICY)).toEqual({ failures: 3, lockedNow: true });
    expect(store.lockRemainingMs('10.0.0.1')).toBe(60_000);
    expect(store.lockRemainingMs('10.0.0.2')).toBe(0);
  });

  it('does not count failures of a locked address (no second lock while the first holds)', () => {
    const { store } = clocked();
    for (let i = 0; i < 3; i++) store.recordFailure('a', POLICY);
    for (let i = 0; i < 10; i++) expect(store.recordFailure('a', POLICY)).toEqual({ failures: 0, lockedNow: false });
  });

  it('counts down the lock and lifts it when it ends; counting starts again from zero', () => {
    const { store, advance } = clocked();
    for (let i = 0; i < 3; i++) store.recordFailure('a', POLICY);
    advance(59_001);
    expect(store.lockRemainingMs('a')).toBe(999);
    advance(999);
    expect(store.lockRemainingMs('a')).toBe(0);
    expect(store.recordFailure('a', POLICY)).toEqual({ failures: 1, lockedNow: false });
    expect(store.recordFailure('a', POLICY).lockedNow).toBe(false);
    expect(store.recordFailure('a', POLICY).lockedNow).toBe(true);
  });

  it('forgets the count when the window that opened with the first failure ends', () => {
    const { store, advance } = clocked();
    store.recordFailure('a', POLICY);
    advance(5_000);
    store.recordFailure('a', POLICY);
    advance(4_999);
    expect(store.recordFailure('a', POLICY)).toEqual({ failures: 3, lockedNow: true });

    store.recordFailure('b', POLICY);
    store.recordFailure('b', POLICY);
    advance(10_000);
    expect(store.recordFailure('b', POLICY)).toEqual({ failures: 1, lockedNow: false });
  });

  it('drops expired counts and locks as requests come in', () => {
    const { store, advance } = clocked();
    for (let i = 0; i < 50; i++) store.recordFailure(`c${i}`, POLICY);
    for (let i = 0; i < 3; i++) store.recordFailure('locked', POLICY);
    expect(store.size).toEqual({ counters: 50, locks: 1 });
    advance(10_000);
    store.lockRemainingMs('x');
    expect(store.size).toEqual({ counters: 0, locks: 1 });
    advance(50_000);
    store.lockRemainingMs('x');
    expect(store.size).toEqual({ counters: 0, locks: 0 });
  });

  it('stays bounded: many addresses evict the oldest counts, never a lock', () => {
    const { store } = clocked(100);
    for (let i = 0; i < 3; i++) store.recordFailure('attacker', POLICY);
    for (let i = 0; i < 1_000; i++) store.recordFailure(`spray-${i}`, POLICY);
    expect(store.size).toEqual({ counters: 100, locks: 1 });
    expect(store.lockRemainingMs('attacker')).toBe(60_000);
    // The most recent counts are the ones kept.
    expect(store.recordFailure('spray-999', POLICY).failures).toBe(2);
    expect(store.recordFailure('spray-0', POLICY).failures).toBe(1);
  });

  it('keeps at most maxAddresses locks, dropping the one closest to its end', () => {
    const { store, advance } = clocked(2);
    const lock = (a: string) => {
      for (let i = 0; i < 3; i++) store.recordFailure(a, POLICY);
      advance(1);
    };
    lock('a');
    lock('b');
    lock('c');
    expect(store.size.locks).toBe(2);
    expect(store.lockRemainingMs('a')).toBe(0);
    expect(store.lockRemainingMs('b')).toBeGreaterThan(0);
    expect(store.lockRemainingMs('c')).toBeGreaterThan(0);
  });
});
