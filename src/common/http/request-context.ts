import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

/** What the pipeline attaches to each request before Nest sees it. */
export interface RequestState {
  /** process.hrtime.bigint() when the request entered the pipeline. */
  startedAt: bigint;
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

/** The request id set by RequestIdMiddleware (always a string once it ran). */
export function requestIdOf(req: IncomingMessage): string {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
}

/** Client address as Express resolved it (honours `trust proxy` only when configured). */
export function clientIpOf(req: Request): string {
  const ip = req.ip ?? req.socket?.remoteAddress ?? '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
