import { ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, type ThrottlerModuleOptions, type ThrottlerOptions, type ThrottlerOptionsFactory } from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiKeyService } from '../auth/api-key.service';
import { RouteAccessResolver } from '../auth/route-access';
import { clientIpOf, RouteTable, routeLabel } from '../common';
import { AppConfig } from '../config';
import { RateLimitPolicy } from './rate-limit.policy';
import { PUBLIC_THROTTLER } from './token-bucket.storage';

/** Protected routes and unknown paths: buckets in the configured store (memory or Redis). */
export const DEFAULT_THROTTLER = 'default';
/** The one bucket per address of requests to protected routes without a valid key. */
export const UNAUTHENTICATED_BUCKET = 'unauthenticated';

/**
 * The @nestjs/throttler options: exactly one of the two throttlers applies to a request, with
 * `ttl` = the window, the limit of the request's bucket (RateLimitPolicy), the tracker = the
 * client and the key = client | bucket (`key:alice|/nernst`, `ip:203.0.113.9|unauthenticated`),
 * which is also the Redis key's hash tag. Each answer comes from facts the request already
 * caches (route label, key check, client address). Who the client is, and why requests without
 * a valid key share one bucket at the smallest limit: docs/security.md, "Rate limiting".
 */
@Injectable()
export class RateLimitClients implements ThrottlerOptionsFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly routes: RouteTable,
    private readonly policy: RateLimitPolicy,
    private readonly keys: ApiKeyService,
    private readonly access: RouteAccessResolver,
  ) {}

  createThrottlerOptions(): ThrottlerModuleOptions {
    const { enabled } = this.config.rateLimit;
    const throttler = (name: string, isPublic: boolean): ThrottlerOptions => ({
      name,
      ttl: this.policy.windowMs,
      limit: (context) => (this.failedAuthentication(context) ? this.policy.unauthenticatedLimit : this.policy.limitFor(this.routeOf(context))),
      skipIf: (context) => !enabled || this.access.resolve(context).public !== isPublic,
    });
    return {
      throttlers: [throttler(DEFAULT_THROTTLER, false), throttler(PUBLIC_THROTTLER, true)],
      getTracker: (req, context) => {
        const keyId = this.keyIdOf(context);
        return keyId === undefined ? `ip:${normalizeIp(clientIpOf(req as Request))}` : `key:${keyId}`;
      },
      generateKey: (context, tracker) => `${tracker}|${this.failedAuthentication(context) ? UNAUTHENTICATED_BUCKET : this.routeOf(context)}`,
    };
  }

  /** The id of the request's valid key, when the route is a protected one. */
  keyIdOf(context: ExecutionContext): string | undefined {
    if (!this.config.auth.required || this.access.resolve(context).public) return undefined;
    const check = this.keys.checkRequest(context.switchToHttp().getRequest<Request>());
    return check.status === 'valid' ? check.principal.id : undefined;
  }

  /** A protected route without a valid key: the API-key guard would answer 401. */
  failedAuthentication(context: ExecutionContext): boolean {
    return this.config.auth.required && !this.access.resolve(context).public && this.keyIdOf(context) === undefined;
  }

  routeOf(context: ExecutionContext): string {
    return routeLabel(context.switchToHttp().getRequest<Request>(), this.routes);
  }
}

