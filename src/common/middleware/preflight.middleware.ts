import type { NextFunction, Request, Response } from 'express';

/**
 * With CORS off (the prod default: no origins allowed) a browser preflight still must not meet
 * the API-key guard (the previous service answered it 401). It gets an empty 204 without any
 * CORS header, so the browser refuses the cross-origin call itself. Only real preflights
 * (OPTIONS + Origin + Access-Control-Request-Method) qualify; any other OPTIONS request goes
 * through the guards like every method.
 */
export function preflightWithoutCorsMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  next();
}
