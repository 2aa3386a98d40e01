import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { redactIp } from '../logging/redact';
import { currentTurn } from './event-loop-turn';

/**
 * What the pipeline attaches to each request: one object with a fixed set of fields, hung on the
 * request once. (Every further property added to Node's request object costs a slow
 * dictionary store and lookup; the modules keep their per-request facts here instead.)
 */
export class RequestState {
  /** performance.now() (monotonic, milliseconds) when the request entered the pipeline. */
  readonly startedAt = performance.now();
  /** The event-loop turn the request entered the pipeline in (next-turn.ts). */
  readonly arrivalTurn = currentTurn();
  /** The request id (client's X-Request-ID when well-formed, else a UUID v4). */
  id: string | undefined = undefined;
  /** Route template label, computed once (logs, metrics and rate limiting all need it). */
  route: string | undefined = undefined;
  /** Client address, resolved once (Express re-evaluates `trust proxy` on every `req.ip`). */
  clientIp: string | undefined = undefined;
  /** The client address as audit records show it (first part kept), computed once. */
  redactedClientIp: string | undefined = undefined;
  /** The outcome of the X-API-Key check (auth module), shared by the rate limiter and the guard. */
  apiKeyCheck: object | undefined = undefined;
  /** The authenticated caller (auth module). */
  principal: object | undefined = undefined;
  /** Actions of the audit events already written for this request (audit module: one per action). */
  auditedActions: string[] | undefined = undefined;
  /**
   * Granted-request audit events kept for the access record instead of their own lines
   * (MFN_AUDIT_GRANTED_EVENTS=folded): their actions and the caller's id.
   */
  foldedAudit: { actions: string[]; userId: string | undefined } | undefined = undefined;
  /** Callbacks run once when the response is finished or the connection closed before that. */
  onDone: ((aborted: boolean) => void)[] | undefined = undefined;
}

const STATE = Symbol('mfn.request.state');

export function requestState(req: IncomingMessage): RequestState {
  const holder = req as IncomingMessage & { [STATE]?: RequestState };
  // eslint-disable-next-line security/detect-object-injection -- STATE is a module-private unique symbol, not a string key
  let state = holder[STATE];
  if (state === undefined) {
    state = new RequestState();
    // eslint-disable-next-line security/detect-object-injection -- STATE is a module-private unique symbol, not a string key
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
  return requestState(req).id ?? '';
}

/**
 * True when the app trusts proxy headers (Express `trust proxy` set): only then do X-Forwarded-*
 * headers mean anything, and only then is Express's header walk (req.ip, req.secure) worth its cost.
 */
export function trustsProxyHeaders(req: Request): boolean {
  return Boolean(req.app?.get('trust proxy'));
}

/** Client address as Express resolved it (honours `trust proxy` only when configured). */
export function clientIpOf(req: Request): string {
  const state = requestState(req);
  if (state.clientIp === undefined) {
    // Without `trust proxy` Express's req.ip is the socket's address; skip its forwarded-header walk.
    const ip = (trustsProxyHeaders(req) ? req.ip : undefined) ?? req.socket?.remoteAddress ?? req.ip ?? '';
    state.clientIp = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  }
  return state.clientIp;
}

/**
 * The client address as logs and audit records show it (IPv4: first octet kept), computed once
 * per request: the access record and the audit events of a request all carry it.
 */
export function redactedClientIpOf(req: Request): string | undefined {
  const state = requestState(req);
  if (state.redactedClientIp === undefined) state.redactedClientIp = redactIp(clientIpOf(req));
  return state.redactedClientIp;
}
