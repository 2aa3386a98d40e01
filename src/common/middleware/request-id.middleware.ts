import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestState } from '../http/request-context';

export const REQUEST_ID_HEADER = 'X-Request-ID';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a well-formed client X-Request-ID, else mints a UUID v4; echoes it on every response. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const state = requestState(req);
  const incoming = req.headers['x-request-id'];
  const candidate = Array.isArray(incoming) ? undefined : incoming;
  const id = candidate !== undefined && VALID_REQUEST_ID.test(candidate) ? candidate : randomUUID();
  state.id = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
}

export function isValidRequestId(value: string): boolean {
  return VALID_REQUEST_ID.test(value);
}
