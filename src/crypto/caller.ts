import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { clientIpOf } from '../common';
import { principalOf } from '../auth/principal';

/** Who is calling a crypto route, for quotas and audit events. */
export interface CryptoCaller {
  req: Request;
  /** API-key identity when authenticated (audit user_id). */
  userId?: string;
  /** Quota identity: the API-key id, or the client address when authentication is off. */
  identity: string;
}

export function callerOf(req: Request): CryptoCaller {
  const principal = principalOf(req);
  if (principal?.authenticated) return { req, userId: principal.id, identity: `key:${principal.id}` };
  return { req, identity: `ip:${clientIpOf(req)}` };
}

/**
 * The owner recorded on keys: a hash of the caller identity, so the store never holds client
 * addresses or key ids in clear.
 */
export function ownerOf(caller: CryptoCaller): string {
  return createHash('sha256').update(`mfn-key-owner|${caller.identity}`).digest('hex').slice(0, 32);
}

/** Handler parameter: the calling principal or client. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): CryptoCaller =>
  callerOf(ctx.switchToHttp().getRequest<Request>()),
);
