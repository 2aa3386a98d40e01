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

export interface BodyLimits {
  /** Limit for every route not listed in `perRoute`. */
  defaultBytes: number;
  /** Larger limits for specific routes (normalised path → bytes). */
  perRoute: Record<string, number>;
}

/**
 * JSON body parsing with the envelope's errors: a body that is not JSON → 415, malformed → 400,
 * over the route's limit → 413 (checked against Content-Length before reading when possible).
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
    parser(req, res, next);
  };
}
