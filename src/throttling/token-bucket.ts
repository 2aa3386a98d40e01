/**
 * Token-bucket arithmetic shared by the in-memory and Redis stores (SERVICE.md §4): capacity =
 * the route's limit, continuous refill of capacity per window, a new bucket starts full, each
 * request costs one token.
 */

export interface BucketOutcome {
  allowed: boolean;
  /** Tokens left after this request, rounded down. */
  remaining: number;
  /** Whole seconds until a token is back: floor(seconds until one token) + 1; 0 when allowed. */
  retryAfterSeconds: number;
  /** Whole seconds until the bucket is full again. */
  resetSeconds: number;
}

export function outcomeOf(allowed: boolean, tokens: number, capacity: number, windowMs: number): BucketOutcome {
  const perMs = capacity / windowMs;
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokens)),
    retryAfterSeconds: allowed ? 0 : Math.floor((1 - tokens) / perMs / 1000) + 1,
    resetSeconds: Math.ceil((capacity - tokens) / perMs / 1000),
  };
}
