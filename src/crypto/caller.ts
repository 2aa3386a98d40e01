import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { KeyActor, actorOf } from './keys/key-access';

/** Who is calling a crypto route: the request (for audit events) and the tenant acting on keys. */
export interface CryptoCaller {
  req: Request;
  actor: KeyActor;
}

/** Handler parameter: the calling tenant. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): CryptoCaller => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return { req, actor: actorOf(req) };
});
