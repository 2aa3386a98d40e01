import { MAX_IDLE_MS, MemoryBucketStore } from './memory-bucket.store';

function clockAt(start = 0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('MemoryBucketStore (token bucket)', () => {
  it('starts full, spends one token per request and refuses the request after the last token', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(100, clock.now);
    const remaining = Array.from({ length: 5 }, () => store.take('c|/x', 5, 60_000));
    expect(remaining.map((o) => o.allowed)).toEqual([true, true, true, true, true]);
    expect(remaining.map((o) => o.remaining)).toEqual([4, 3, 2, 1, 0]);
    const refused = store.take('c|/x', 5, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    // One token per 12 s: floor(12) + 1.
    expect(refused.retryAfterSeconds).toBe(13);
  });

  it('refills continuously at capacity per window', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(100, clock.now);
    for (let i = 0; i < 6; i++) store.take('k', 6, 60_000);
    expect(store.take('k', 6, 60_000).allowed).toBe(false);
    clock.t += 9_999; // 0.9999 tokens
    const early = store.take('k', 6, 60_000);
    expect(early.allowed).toBe(false);
    expect(early.retryAfterSeconds).toBe(1);
    clock.t += 100;
    expect(store.take('k', 6, 60_000).allowed).toBe(true);
    clock.t += 10 * 60_000;
    expect(store.take('k', 6, 60_000).remaining).toBe(5); // capped at capacity, then one spent
  });

  it('keeps separate buckets per key', () => {
    const store = new MemoryBucketStore(100, clockAt().now);
    expect(store.take('a', 1, 1_000).allowed).toBe(true);
    expect(store.take('a', 1, 1_000).allowed).toBe(false);
    expect(store.take('b', 1, 1_000).allowed).toBe(true);
  });

  it('drops buckets idle for a whole window (they are full again) without changing answers', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(1_000, clock.now);
    for (let i = 0; i < 50; i++) store.take(`client-${i}`, 3, 10_000);
    expect(store.size).toBe(50);
    clock.t += 10_000;
    store.take('fresh', 3, 10_000);
    expect(store.size).toBe(1);
    expect(store.take('client-1', 3, 10_000).remaining).toBe(2);
  });

  it('drops buckets idle for an hour even with a longer window', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(1_000, clock.now);
    store.take('old', 10, 86_400_000);
    clock.t += MAX_IDLE_MS;
    store.take('new', 10, 86_400_000);
    expect(store.size).toBe(1);
  });

  it('never holds more than maxBuckets (least recently used goes first)', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(3, clock.now);
    store.take('a', 2, 60_000);
    store.take('b', 2, 60_000);
    store.take('c', 2, 60_000);
    store.take('a', 2, 60_000); // a is now the most recent
    store.take('d', 2, 60_000); // evicts b
    expect(store.size).toBe(3);
    expect(store.take('a', 2, 60_000).allowed).toBe(false); // a kept its spent state
    expect(store.take('b', 2, 60_000).remaining).toBe(1); // b came back as a new bucket
  });
});

describe('MemoryBucketStore with a cost per request', () => {
  it('spends `cost` tokens at once and refuses without spending when fewer are left', () => {
    const clock = clockAt();
    const store = new MemoryBucketStore(100, clock.now);
    expect(store.take('w', 100, 60_000, 60)).toMatchObject({ allowed: true, remaining: 40 });
    const refused = store.take('w', 100, 60_000, 60);
    expect(refused).toMatchObject({ allowed: false, remaining: 40 });
    // 20 missing tokens at 100 per 60 s: 12 s, so floor(12) + 1.
    expect(refused.retryAfterSeconds).toBe(13);
    // The refusal spent nothing: a cheaper request still fits.
    expect(store.take('w', 100, 60_000, 40)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('answers a cost of 1 exactly as the default does', () => {
    const a = new MemoryBucketStore(100, clockAt().now);
    const b = new MemoryBucketStore(100, clockAt().now);
    for (let i = 0; i < 7; i++) expect(a.take('k', 5, 60_000, 1)).toEqual(b.take('k', 5, 60_000));
  });

  it('gives a retry time for the whole cost, longer than one token would need', () => {
    const store = new MemoryBucketStore(100, clockAt().now);
    store.take('w', 10, 10_000, 10);
    expect(store.take('w', 10, 10_000, 1).retryAfterSeconds).toBe(2);
    expect(store.take('w', 10, 10_000, 5).retryAfterSeconds).toBe(6);
    // More than the capacity can never be spent: the answer says so by needing more than a window.
    expect(store.take('w', 10, 10_000, 20).retryAfterSeconds).toBe(21);
  });

  it('refuses a cost that is not a positive finite number', () => {
    const store = new MemoryBucketStore(100, clockAt().now);
    for (const cost of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => store.take('w', 10, 10_000, cost)).toThrow(RangeError);
    }
    expect(store.size).toBe(0);
  });
});
