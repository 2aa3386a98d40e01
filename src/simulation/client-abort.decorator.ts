import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClientDisconnectedError } from './compute-pool.service';

/**
 * An AbortSignal that fires when the client goes away before the response is complete. It
 * listens on the response's 'close' (req 'close' also fires once the body has been read, so it
 * cannot tell a disconnect from a normal request on Node 20).
 */
export function clientAbortSignal(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  if (req.destroyed || res.destroyed || req.socket?.destroyed) {
    controller.abort(new ClientDisconnectedError());
    return controller.signal;
  }
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new ClientDisconnectedError());
  });
  return controller.signal;
}

/** Handler parameter: aborted when the client disconnects (cancels the compute task). */
export const ClientAbortSignal = createParamDecorator((_data: unknown, ctx: ExecutionContext): AbortSignal => {
  const http = ctx.switchToHttp();
  return clientAbortSignal(http.getRequest<Request>(), http.getResponse<Response>());
});
