import { HttpStatus } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppException, ErrorCode } from '../errors';
import { normalisePath } from '../http/route-table';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const len = req.headers['content-length'];
  return len !== undefined && len !== '0';
}

/**
 * JSON nested deeper than this is refused. No request of the API nests beyond three levels, and
 * validating deeper input recursively would exhaust the stack (a 500 instead of a 400).
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests objects/arrays deeper than `limit` (walked without recursion). */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: [object, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [object, number];
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

export interface BodyLimits {
  /** Limit for every route not listed in `perRoute`. */
  defaultBytes: number;
  /** Larger limits for specific routes (normalised path → bytes). */
  perRoute: Record<string, number>;
}

/**
 * JSON body parsing with the envelope's errors: a body that is not JSON → 415, malformed or
 * nested deeper than MAX_JSON_DEPTH → 400, over the route's limit → 413 (checked against
 * Content-Length before reading when possible).
 */
export function jsonBodyMiddleware(limits: BodyLimits): RequestHandler {
  const make = (limit: number) => express.json({ limit, strict: true, type: () => true });
  const general = make(limits.defaultBytes);
  const special = new Map(Object.entries(limits.perRoute).map(([path, bytes]) => [normalisePath(path), make(bytes)]));
  return (req: Request, res: Response, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    if (!isJsonType(req.headers['content-type'])) {
      return next(
        new AppException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          'Unsupported media type: send the body as application/json',
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ),
      );
    }
    const parser = special.get(normalisePath(req.path)) ?? general;
    parser(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (exceedsJsonDepth(req.body, MAX_JSON_DEPTH)) {
        return next(AppException.badRequest(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`));
      }
      next();
    });
  };
}
