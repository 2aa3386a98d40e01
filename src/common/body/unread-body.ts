import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY_METHODS, declaredLength, hasBody } from './content-headers';

/**
 * What happens to a request body the service does not read: the body of a refused request, or
 * one sent to a route that takes none. It is discarded, never parsed. A small one (announced up
 * to DRAIN_MAX_BYTES) is read to its end so the connection can serve the next request; a larger
 * or chunked one is not read at all, and its connection is closed shortly after the answer. A
 * client that stalls for DRAIN_MAX_MS is cut off. Closing at once instead would reset a
 * connection the client is still writing to, and a client busy uploading often loses the answer
 * with it.
 */

/** A small unread body is drained so its connection can serve the next request; a larger one is cut. */
export const DRAIN_MAX_BYTES = 64 * 1024;
export const DRAIN_MAX_MS = 5000;
const CUT_GRACE_MS = 250;

/** True when part of the request body is still to come and nobody is going to read it. */
export function bodyPending(req: IncomingMessage): boolean {
  if (req.complete || !hasBody(req)) return false;
  // A client waiting for `100 Continue` that never came sends no body (Node closes after the answer).
  return !/^100-continue$/i.test(req.headers.expect ?? '');
}

/**
 * Sends `text` as the complete answer at once (Content-Length), then ends the response: after a
 * small unread body has been drained (the connection stays open), or shortly after stopping to
 * read a large one (the connection closes).
 */
export function answerThenDrain(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  const length = declaredLength(req);
  if (length === undefined || length > DRAIN_MAX_BYTES) {
    // Too large to drain: stop reading at once, and give the client a moment to read the answer
    // before the connection goes (closing with unread bytes resets it, and a reset can take the
    // unread answer with it).
    res.setHeader('Connection', 'close');
    req.socket.pause();
    res.write(text, 'utf8');
    setTimeout(() => {
      res.end();
      req.socket.destroy();
    }, CUT_GRACE_MS).unref();
    return;
  }
  res.write(text, 'utf8');
  const finish = (cut: boolean) => {
    clearTimeout(timer);
    res.end();
    if (cut && !req.complete) req.socket.destroy();
  };
  // A small body still arriving is read to its end (discarded) so the connection can be reused;
  // a client that stalls on it is cut off.
  const timer = setTimeout(() => finish(true), DRAIN_MAX_MS);
  timer.unref();
  req.once('end', () => finish(false));
  req.resume();
}

/**
 * For a request whose method takes no body (GET, OPTIONS — CORS preflights included —, unknown
 * methods) but that carries one anyway: the response is written as usual, and Node discards the
 * body afterwards to reuse the connection. That is bounded in time: a body not complete
 * DRAIN_MAX_MS after the response (CUT_GRACE_MS for one announced larger than DRAIN_MAX_BYTES, or
 * chunked) closes the connection. (Bytes are not counted here: a `data` listener on the socket
 * would take it away from Node's HTTP parser; and reading is not paused, so that a body that has
 * in fact arrived completes and its connection serves the next request.)
 */
export function limitBodyDrain(req: IncomingMessage, res: ServerResponse): void {
  if (!bodyPending(req)) return;
  const length = declaredLength(req);
  const boundMs = length === undefined || length > DRAIN_MAX_BYTES ? CUT_GRACE_MS : DRAIN_MAX_MS;
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, boundMs);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
  });
}

/** Express middleware: limitBodyDrain for every request whose method takes no body. */
export function bodylessMethodMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!BODY_METHODS.has(req.method ?? '')) limitBodyDrain(req, res);
  next();
}
