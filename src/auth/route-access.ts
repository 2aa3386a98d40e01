import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, METRICS_ROUTE_KEY } from '../common';
import { AppConfig } from '../config';
import { REQUIRED_ROLES_KEY } from './require-roles.decorator';
import { Role } from './roles';

/** What a route demands of its caller. */
export interface RouteAccess {
  /** Reachable without an API key. */
  readonly public: boolean;
  /** Roles of which the key must hold one (admin always passes); undefined = any valid key. */
  readonly roles?: readonly Role[];
}

const PUBLIC: RouteAccess = Object.freeze({ public: true });
const ANY_KEY: RouteAccess = Object.freeze({ public: false });
const METRICS_ROLE: RouteAccess = Object.freeze({ public: false, roles: Object.freeze([Role.METRICS]) });

/**
 * Reads a route's access rule from its decorators (`@Public()`, `@MetricsRoute()`,
 * `@RequireRoles()`) once per handler: the rate limiter, the API-key guard and the roles guard
 * all ask for every request, so the answer is cached.
 *
 * The scrape route is public unless MFN_METRICS_INCLUDE_IN_AUTH=true, then it needs `metrics`.
 */
@Injectable()
export class RouteAccessResolver {
  private readonly cache = new WeakMap<object, RouteAccess>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  resolve(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = this.cache.get(handler);
    if (access === undefined) {
      access = this.read(context);
      this.cache.set(handler, access);
    }
    return access;
  }

  private read(context: ExecutionContext): RouteAccess {
    const targets = [context.getHandler(), context.getClass()];
    const isMetrics = this.reflector.getAllAndOverride<boolean>(METRICS_ROUTE_KEY, targets) === true;
    if (isMetrics) return this.config.metrics.includeInAuth ? METRICS_ROLE : PUBLIC;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true) return PUBLIC;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES_KEY, targets);
    return roles && roles.length > 0 ? Object.freeze({ public: false, roles: Object.freeze([...roles]) }) : ANY_KEY;
  }
}
