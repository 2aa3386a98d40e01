import type { NextFunction, Request, Response } from 'express';
import { AppException } from '../errors';

/**
 * HTTP/1.1 requests must name a Host (RFC 9112 §3.2). Node's own check answers a bare 400, so it
 * is off (createServiceServer in common/http/protocol-errors.ts) and this one answers in the
 * pipeline instead, with the envelope.
 */
export function requireHostHeader(req: Request, _res: Response, next: NextFunction): void {
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    return next(AppException.badRequest('Missing Host header'));
  }
  next();
}
