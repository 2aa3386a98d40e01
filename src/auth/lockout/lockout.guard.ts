import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { RouteAccessResolver } from '../route-access';
import { LockoutService } from './lockout.service';

/**
 * The brute-force lock, checked before anything looks at the caller's key — before the rate
 * limiter too, which hashes the key to pick the caller's bucket: a valid key would pass a bucket
 * the address has spent, so a locked address could otherwise tell right keys from wrong ones by
 * which 429 it gets. Requests from a locked address to routes that are not public are refused
 * with 429 whatever they carry. The failures themselves are counted where they are answered:
 * ApiKeyGuard (401), RateLimitGuard (429 to a request without a valid key) and MetricsTokenGuard.
 */
@Injectable()
export class LockoutGuard implements CanActivate {
  constructor(
    private readonly lockout: LockoutService,
    private readonly access: RouteAccessResolver,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.lockout.enabled || this.access.resolve(context).public) return true;
    return this.lockout.whenUnlocked(context.switchToHttp().getRequest<Request>(), () => true);
  }
}
