import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';

/** What the pipeline attaches to each request before Nest sees it. */
export interface RequestState {
  /** process.hrtime.bigint() when the request entered the pipeline. */
  startedAt: bigint;
  /** Route template label, computed once (logs, metrics and rate limiting all need it). */
  route?: string;
  /** Client address, resolved once (Express re-evaluates `trust proxy` on every `req.ip`). */
  clientIp?: string;
  /** Callbacks run once when the response is finished or the connection closed before that. */
  onDone?: ((aborted: boolean) => void)[];
}

const STATE = Symbol('mfn.request.state');

export function requestState(req: IncomingMessage): RequestState {
  const holder = req as IncomingMessage & { [STATE]?: RequestState };
  let state = holder[STATE];
  if (!state) {
    state = { startedAt: process.hrtime.bigint() };
    holder[STATE] = state;
  }
  return state;
}

/**
 * Runs `callback` once when the response is done: `aborted` is true when the connection closed
 * before the response was completely written. One pair of listeners per request serves every
 * caller (access log, metrics, shutdown tracking).
 */
export function whenResponseDone(req: IncomingMessage, res: ServerResponse, callback: (aborted: boolean) => void): void {
  const state = requestState(req);
  if (state.onDone) {
    state.onDone.push(callback);
    return;
  }
  const callbacks = [callback];
  state.onDone = callbacks;
  // A ServerResponse always emits 'close': right after 'finish' when the response was written
  // completely, or when the connection went away before that. One listener covers both.
  res.on('close', () => {
    const aborted = !res.writableFinished;
    for (const cb of callbacks) cb(aborted);
  });
}

/** The request id set by RequestIdMiddleware (always a string once it ran). */
export function requestIdOf(req: IncomingMessage): string {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
}

/** Client address as Express resolved it (honours `trust proxy` only when configured). */
export function clientIpOf(req: Request): string {
  const state = requestState(req);
  if (state.clientIp === undefined) {
    // Without `trust proxy` Express's req.ip is the socket's address; skip its forwarded-header walk.
    const viaProxy = req.app?.get('trust proxy');
    const ip = (viaProxy ? req.ip : undefined) ?? req.socket?.remoteAddress ?? req.ip ?? '';
    state.clientIp = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  }
  return state.clientIp;
}
