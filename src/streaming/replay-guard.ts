/**
 * Replay defence of the in-band `auth` message (docs/streaming.md, "In-band auth"): the message's
 * `timestamp` must be within WINDOW_MS of the server clock, and each (key, timestamp, nonce) is
 * accepted once: it is remembered until it leaves the window, so a captured `auth` frame cannot
 * be sent again on another connection. The store is bounded; when full of live entries new
 * attempts are refused (fail closed) until old ones expire.
 */
export const AUTH_WINDOW_MS = 5 * 60 * 1000;
export const MAX_REMEMBERED = 100_000;
/** Timestamps below this are read as seconds (the old clients' unit). */
const SECONDS_BELOW = 1e11;

export type ReplayVerdict = 'ok' | 'stale' | 'replayed' | 'busy';

/** The timestamp in ms (seconds are accepted), or undefined when it is not a usable number. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return value < SECONDS_BELOW ? value * 1000 : value;
}

export class ReplayGuard {
  /** Insertion order is expiry order up to the clock skew window: the oldest are at the front. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = MAX_REMEMBERED,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** `identity` is the key's digest or id, never the key itself. */
  check(identity: string, timestamp: number, nonce: string): ReplayVerdict {
    const now = this.now();
    if (Math.abs(now - timestamp) > AUTH_WINDOW_MS) return 'stale';
    this.expire(now);
    const entry = `${identity}|${timestamp}|${nonce}`;
    if (this.seen.has(entry)) return 'replayed';
    if (this.seen.size >= this.capacity) return 'busy';
    // Remembered until the timestamp can no longer pass the window check.
    this.seen.set(entry, timestamp + AUTH_WINDOW_MS);
    return 'ok';
  }

  private expire(now: number): void {
    for (const [entry, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(entry);
    }
    // Entries are inserted in arrival order, not expiry order: sweep fully now and then.
    if (this.seen.size >= this.capacity) for (const [entry, until] of this.seen) if (until <= now) this.seen.delete(entry);
  }
}
