/**
 * Token-bucket arithmetic shared by the in-memory and Redis stores: capacity =
 * the route's limit, continuous refill of capacity per window, a new bucket starts full, each
 * request costs one token (the compute work budget spends `cost` tokens at once, see
 * src/simulation/compute-cost.ts).
 */

export interface BucketOutcome {
  allowed: boolean;
  /** Tokens left after this request, rounded down. */
  remaining: number;
  /** Whole seconds until `cost` tokens are back: floor(seconds until they are) + 1; 0 when allowed. */
  retryAfterSeconds: number;
  /** Whole seconds until the bucket is full again. */
  resetSeconds: number;
}

export function outcomeOf(allowed: boolean, tokens: number, capacity: number, windowMs: number, cost = 1): BucketOutcome {
  const perMs = capacity / windowMs;
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokens)),
    retryAfterSeconds: allowed ? 0 : Math.floor((cost - tokens) / perMs / 1000) + 1,
    resetSeconds: Math.ceil((capacity - tokens) / perMs / 1000),
  };
}

/** A cost must be a positive finite number of tokens: anything else would mint tokens or never settle. */
export function checkCost(cost: number): void {
  if (!(cost > 0) || !Number.isFinite(cost)) throw new RangeError('a token bucket cost must be a positive finite number');
}
