import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { answerThenDrain, bodyPending } from '../body/unread-body';
import { buildEnvelope, describeError, resolveError } from '../errors';
import { requestIdOf } from './request-context';

/** What Express's `res.json` sends as the type, spelled out for answers written without it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Writes the error envelope for any failure, from Nest's filter or from Express middleware
 * (Host check, CORS, shutdown gate). Unexpected failures are logged without leaking them.
 */
export function sendErrorResponse(err: unknown, req: Request, res: Response, logger: Logger, verbose: boolean): void {
  const resolved = resolveError(err);
  if (resolved.unexpected) {
    const log = logger.child({ request_id: requestIdOf(req), logger: 'mfn.errors' });
    const error = describeError(err);
    if (verbose && err instanceof Error) log.debug({ error, stack: err.stack }, 'unhandled error (stack)');
    log.error({ error }, 'unhandled error');
  }
  // Nobody is left to read an answer (the connection is gone, or the body upload was cut off):
  // closing the response makes the access log and the metrics record the 499 it is, not a
  // delivered error.
  if (res.headersSent || req.socket?.destroyed || isAbortedUpload(err)) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(resolved.headers)) res.setHeader(name, value);
  const envelope = buildEnvelope(resolved, requestIdOf(req));
  // A refused request's body is never read: it is discarded, and a long upload is cut off.
  if (bodyPending(req)) return answerThenDrain(req, res, resolved.status, JSON_CONTENT_TYPE, JSON.stringify(envelope));
  res.status(resolved.status).json(envelope);
}

/** body-parser's error for a request whose connection closed before its body was complete. */
function isAbortedUpload(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'request.aborted';
}
