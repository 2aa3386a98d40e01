import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../common';
import { ClientDisconnectedError } from './compute-pool.service';

/** What a compute handler passes to the pool about its request. */
export interface ComputeRequestContext {
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  /** For the pool's log lines. */
  requestId: string;
}

/**
 * An AbortSignal that fires when the client goes away before the response is complete. It
 * listens on the response's 'close' (req 'close' also fires once the body has been read, so it
 * cannot tell a disconnect from a normal request on Node 20). For the same reason a destroyed
 * request stream is not a sign of disconnect: Node destroys it once its body has been read.
 */
export function clientAbortSignal(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed || req.socket?.destroyed) {
    controller.abort(new ClientDisconnectedError());
    return controller.signal;
  }
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new ClientDisconnectedError());
  });
  return controller.signal;
}

/** Handler parameter: the request's disconnect signal and id, for ComputePoolService.run. */
export const ComputeRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): ComputeRequestContext => {
  const http = ctx.switchToHttp();
  const req = http.getRequest<Request>();
  return { signal: clientAbortSignal(req, http.getResponse<Response>()), requestId: requestIdOf(req) };
});
