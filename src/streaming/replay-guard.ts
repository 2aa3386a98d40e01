/**
 * Replay defence of the in-band `auth` message (docs/streaming.md, "In-band auth"): the message's
 * `timestamp` must be within WINDOW_MS of the server clock, and each (key, timestamp, nonce) is
 * accepted once: it is remembered until it leaves the window, so a captured `auth` frame cannot
 * be sent again on another connection. The store is bounded; when full of live entries new
 * attempts are refused (fail closed) until old ones expire. One key may hold at most a tenth of
 * it, so a caller authenticating over and over refuses only itself, not every other key.
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
  /**
   * Entry -> the time it may be forgotten. Every entry is kept for 2 x the window from its
   * arrival, at least as long as its timestamp (at most one window ahead) can pass the check, so
   * arrival order is expiry order and the oldest are always at the front.
   */
  private readonly seen = new Map<string, { until: number; identity: string }>();
  private readonly perIdentity = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = MAX_REMEMBERED,
    /** Live entries one key may hold: a tenth of the store, so one key cannot fill it for all. */
    private readonly identityCapacity = Math.max(1, Math.floor(capacity / 10)),
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
    const held = this.perIdentity.get(identity) ?? 0;
    if (this.seen.size >= this.capacity || held >= this.identityCapacity) return 'busy';
    this.seen.set(entry, { until: now + 2 * AUTH_WINDOW_MS, identity });
    this.perIdentity.set(identity, held + 1);
    return 'ok';
  }

  private expire(now: number): void {
    for (const [entry, { until, identity }] of this.seen) {
      if (until >= now) break;
      this.seen.delete(entry);
      const held = (this.perIdentity.get(identity) ?? 1) - 1;
      if (held <= 0) this.perIdentity.delete(identity);
      else this.perIdentity.set(identity, held);
    }
  }
}
