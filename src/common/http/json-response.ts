import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Statuses that carry no body (RFC 9110): left to Express, which also drops the body headers. */
const BODYLESS = new Set([204, 205, 304]);

/**
 * Writes `body` as a JSON response: status, `Content-Type: application/json; charset=utf-8`,
 * `Content-Length` (also on HEAD, whose body Node drops) and the serialised body in one `end`.
 * What Express's `res.status().json()` sends for the service's responses (no ETag, no JSONP, no
 * replacer or spacing settings), without its per-call settings lookups, content-type re-parsing
 * and freshness checks.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) ?? '';
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  res.end(text, 'utf8');
}

/** A body sendJson writes the way `res.json` would: a plain object, array or class instance. */
function isJsonBody(body: unknown): body is object {
  return (
    body !== null &&
    typeof body === 'object' &&
    !(body instanceof StreamableFile) &&
    !(body instanceof Error) &&
    !ArrayBuffer.isView(body)
  );
}

/**
 * Nest's Express adapter with the handlers' JSON replies written by sendJson. Everything else
 * (no body, streams, buffers, bodyless statuses, a Content-Type the handler chose) goes through
 * the stock reply.
 */
export class ServiceHttpAdapter extends ExpressAdapter {
  override reply(response: ServerResponse, body: unknown, statusCode?: number): unknown {
    // Route handlers get their status set before the reply (Nest calls `status` first and passes
    // no code here); other callers pass one.
    const status = statusCode ?? response.statusCode;
    if (!BODYLESS.has(status) && isJsonBody(body) && response.getHeader('Content-Type') === undefined) {
      sendJson(response, status, body);
      return response;
    }
    return super.reply(response, body, statusCode);
  }
}
