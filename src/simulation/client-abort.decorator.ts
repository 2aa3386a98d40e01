import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/principal';
import { clientIpOf, requestIdOf } from '../common';
import { ClientDisconnectedError } from './compute-pool.service';

/** Who asks for compute: the unit the per-caller share and the work budget count against. */
export interface ComputeCaller {
  /**
   * `key:<id>` for an authenticated principal (the API key's configured id, so every key sharing
   * an id shares the limits), else `ip:<client address>` with IPv6 grouped by /64: the names the
   * rate limiter gives its clients (src/throttling/rate-limit.guard.ts).
   */
  tracker: string;
  /** The API key's id when authenticated (the audit record's user id). */
  keyId?: string;
  /** The client address (the audit service redacts it). */
  clientIp: string;
}

/** What a compute handler passes to admission and the pool about its request. */
export interface ComputeRequestContext {
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  /** For the pool's log lines and the audit records. */
  requestId: string;
  caller: ComputeCaller;
  /** The request path, for the audit records. */
  resource: string;
}

/**
 * An AbortSignal that fires when the client goes away before the response is complete. It
 * listens on the response's 'close' (req 'close' also fires once the body has been read, so it
 * cannot tell a disconnect from a normal request on Node 20 or 24). For the same reason a destroyed
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

/** The caller of a request: its authenticated principal (set by the API-key guard), else its address. */
export function computeCallerOf(req: Request): ComputeCaller {
  const principal = principalOf(req);
  const clientIp = clientIpOf(req);
  if (principal?.authenticated) return { tracker: `key:${principal.id}`, keyId: principal.id, clientIp };
  return { tracker: `ip:${normalizeIp(clientIp)}`, clientIp };
}

/** Handler parameter: the request's disconnect signal, id and caller, for ComputeAdmissionService.run. */
export const ComputeRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): ComputeRequestContext => {
  const http = ctx.switchToHttp();
  const req = http.getRequest<Request>();
  return {
    signal: clientAbortSignal(req, http.getResponse<Response>()),
    requestId: requestIdOf(req),
    caller: computeCallerOf(req),
    resource: req.path,
  };
});
