import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendErrorResponse } from '../http/error-responder';

/** Express-level error handler for failures before Nest routing (Host check, CORS, shutdown gate). */
export function expressErrorHandler(logger: Logger, verbose: boolean): ErrorRequestHandler {
  return (err, req, res, _next) => {
    sendErrorResponse(err, req, res, logger, verbose);
  };
}
