import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { isIP } from 'node:net';
import { AuditService } from '../../audit/audit.service';
import { AppException, clientIpOf, ErrorCode } from '../../common';
import { AppConfig } from '../../config';
import { MetricsService } from '../../metrics/metrics.service';
import { LOCKOUT_STORE, type FailureOutcome, type LockoutPolicy, type LockoutStore } from './lockout-store';

export const LOCKED_OUT_MESSAGE = 'Too many failed authentications from this address; retry later';
/** Every client whose address cannot be read shares one identity, so garbage cannot mint fresh ones. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The identity a lockout is kept under: the client address as clientIpOf resolved it (proxy
 * headers only when trusted), IPv6 grouped by /64 like the rate limiter does — one allocation
 * is one attacker — and IPv4-mapped IPv6 addresses as their IPv4 address.
 */
export function lockoutAddressOf(req: Request): string {
  const address = normalizeIp(clientIpOf(req));
  const slash = address.indexOf('/');
  return isIP(slash === -1 ? address : address.slice(0, slash)) === 0 ? UNKNOWN_ADDRESS : address;
}

const MAX_SUSPECTS = 100_000;

function toSeconds(ms: number): number {
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}

/**
 * Brute-force lockout (MFN_AUTH_LOCKOUT_*). The authentication guards (API key, metrics token)
 * first ask whether the caller's address is locked — before looking at the credential, so a
 * correct guess during a lock fails like any other request — and report each failed
 * authentication. MFN_AUTH_LOCKOUT_FAILURES failures within MFN_AUTH_LOCKOUT_WINDOW_S lock the
 * address for MFN_AUTH_LOCKOUT_S: 429 RATE_LIMIT_EXCEEDED with Retry-After = seconds left. The
 * failure that reaches the threshold still gets its 401; the lock writes one
 * `suspicious_activity` audit event (`activity_type: brute_force`) and counts
 * mfn_auth_lockouts_total; refused requests count mfn_auth_lockout_rejections_total.
 */
@Injectable()
export class LockoutService {
  readonly enabled: boolean;
  private readonly policy: LockoutPolicy;
  private readonly lockoutSeconds: number;
  /** With the rate limiter on, a lockout 429 reads like its own: no request left until Retry-After. */
  private readonly refusalHeaders?: Record<string, string>;
  /** Addresses with a failure answered by this process within the window (address → until, ms). */
  private readonly suspects = new Map<string, number>();

  constructor(
    config: AppConfig,
    @Inject(LOCKOUT_STORE) private readonly store: LockoutStore,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {
    const { enabled, maxFailures, windowSeconds, lockoutSeconds } = config.auth.lockout;
    this.enabled = enabled;
    this.lockoutSeconds = lockoutSeconds;
    this.policy = Object.freeze({ maxFailures, windowMs: windowSeconds * 1000, lockMs: lockoutSeconds * 1000 });
    this.refusalHeaders = config.rateLimit.enabled ? { 'X-RateLimit-Remaining': '0' } : undefined;
  }

  /** Whole seconds left of the lock of the request's address (rounded up); 0 when it is not locked. */
  lockedFor(req: Request): number | Promise<number> {
    if (!this.enabled) return 0;
    const remaining = this.store.lockRemainingMs(lockoutAddressOf(req));
    return typeof remaining === 'number' ? toSeconds(remaining) : remaining.then(toSeconds);
  }

  /**
   * Runs `authenticate` unless the request's address is locked, in which case the 429 is thrown
   * (or the promise rejects with it) and `authenticate` never sees the credential.
   */
  whenUnlocked<T>(req: Request, authenticate: () => T | Promise<T>): T | Promise<T> {
    const locked = this.lockedFor(req);
    if (typeof locked === 'number') {
      if (locked > 0) throw this.refusal(locked);
      return authenticate();
    }
    return locked.then((seconds) => {
      if (seconds > 0) throw this.refusal(seconds);
      return authenticate();
    });
  }

  /**
   * Checks the lock once more for a request whose key turned out valid, when this process has
   * answered a failure from its address within the window. The first check (LockoutGuard) can
   * be older than failures counted since: in a burst of guesses every request passes it before
   * the failures that lock the address are written, and a correct guess among them must not
   * succeed. In memory everything is synchronous and the second check costs nothing; with Redis
   * it costs a PTTL, paid only by addresses with recent failures.
   */
  confirmUnlocked(req: Request): true | Promise<true> {
    if (!this.enabled || this.suspects.size === 0) return true;
    const address = lockoutAddressOf(req);
    const until = this.suspects.get(address);
    if (until === undefined) return true;
    if (until <= Date.now()) {
      this.suspects.delete(address);
      return true;
    }
    const remaining = this.store.lockRemainingMs(address);
    if (typeof remaining === 'number') {
      if (remaining > 0) throw this.refusal(toSeconds(remaining));
      return true;
    }
    return remaining.then((ms) => {
      if (ms > 0) throw this.refusal(toSeconds(ms));
      return true as const;
    });
  }

  /**
   * Counts a failed authentication of the request's address, then throws `error` (the 401).
   * With Redis the count is written before the 401 goes out, so the next request from that
   * address — on any replica — already sees a lock this failure set.
   */
  failed(req: Request, error: AppException): never | Promise<never> {
    if (!this.enabled) throw error;
    const address = lockoutAddressOf(req);
    this.noteSuspect(address);
    const outcome = this.store.recordFailure(address, this.policy);
    if (outcome instanceof Promise) {
      return outcome.then((o) => {
        this.settle(req, o);
        throw error;
      });
    }
    this.settle(req, outcome);
    throw error;
  }

  /** Bounded like the memory store: the oldest entry goes first. */
  private noteSuspect(address: string): void {
    this.suspects.delete(address);
    if (this.suspects.size >= MAX_SUSPECTS) {
      const oldest = this.suspects.keys().next();
      if (!oldest.done) this.suspects.delete(oldest.value);
    }
    this.suspects.set(address, Date.now() + this.policy.windowMs + this.policy.lockMs);
  }

  private refusal(seconds: number): AppException {
    this.metrics.authLockoutRejected();
    return new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, LOCKED_OUT_MESSAGE, HttpStatus.TOO_MANY_REQUESTS, {
      retryAfter: seconds,
      headers: this.refusalHeaders,
    });
  }

  private settle(req: Request, outcome: FailureOutcome): void {
    if (!outcome.lockedNow) return;
    this.metrics.authLockout();
    this.audit.recordForRequest(req, {
      action: 'suspicious_activity',
      category: 'security',
      severity: 'ERROR',
      success: false,
      details: { activity_type: 'brute_force', failures: outcome.failures, lockout_seconds: this.lockoutSeconds },
    });
  }
}
