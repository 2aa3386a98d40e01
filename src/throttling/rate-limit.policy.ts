import { Injectable } from '@nestjs/common';
import { normalisePath } from '../common';
import { AppConfig } from '../config';

/**
 * The seed's fixed limits, in requests per minute. Each applies to the path itself and to
 * everything below it (`/health/ready`), never to a mere string prefix (`/healthz`).
 */
export const FIXED_LIMITS_PER_MINUTE: Readonly<Record<string, number>> = {
  '/health': 1000,
  '/nernst': 200,
  '/validate': 50,
  '/simulate': 50,
  '/federated/aggregate': 50,
  '/jobs/simulate': 50,
  '/jobs/validate': 50,
  '/jobs/aggregate': 50,
};

function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Longest matching prefix of `table` for `path`, if any. */
function lookup(table: ReadonlyMap<string, number>, path: string): number | undefined {
  let best: string | undefined;
  for (const prefix of table.keys()) {
    if (covers(prefix, path) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : table.get(best);
}

/**
 * Bucket capacity per route template: an MFN_RATE_LIMIT_ROUTES override (per
 * window), else the seed's per-minute figure scaled to the window so the per-minute rate holds
 * for any MFN_RATE_LIMIT_WINDOW, else MFN_RATE_LIMIT_REQUESTS. Templates are a bounded set, so the
 * answers are cached.
 */
@Injectable()
export class RateLimitPolicy {
  readonly windowMs: number;
  /**
   * The one limit of requests without a valid key, all protected routes together: the smallest
   * route limit (the probes aside), so no route is more generous to a guesser than its own limit
   * and every route answers alike.
   */
  readonly unauthenticatedLimit: number;
  private readonly overrides: ReadonlyMap<string, number>;
  private readonly fixed: ReadonlyMap<string, number>;
  private readonly cache = new Map<string, number>();

  constructor(private readonly config: AppConfig) {
    const { windowSeconds, routes } = config.rateLimit;
    this.windowMs = windowSeconds * 1000;
    this.overrides = new Map(Object.entries(routes).map(([path, limit]) => [normalisePath(path), limit]));
    this.fixed = new Map(
      Object.entries(FIXED_LIMITS_PER_MINUTE).map(([path, perMinute]) => [
        path,
        Math.max(1, Math.round((perMinute * windowSeconds) / 60)),
      ]),
    );
    this.unauthenticatedLimit = this.smallestLimit();
  }

  /** The smallest limit in force: the default, each override, and each built-in limit not overridden. */
  private smallestLimit(): number {
    const limits = [this.config.rateLimit.requests];
    for (const path of [...this.overrides.keys(), ...this.fixed.keys()]) {
      if (!covers('/health', path)) limits.push(this.limitFor(path));
    }
    return Math.min(...limits);
  }

  /** Capacity (and refill per window) of the bucket for a route template. */
  limitFor(template: string): number {
    let limit = this.cache.get(template);
    if (limit === undefined) {
      const path = normalisePath(template);
      limit = lookup(this.overrides, path) ?? lookup(this.fixed, path) ?? this.config.rateLimit.requests;
      this.cache.set(template, limit);
    }
    return limit;
  }
}
