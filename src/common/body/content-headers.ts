import type { IncomingMessage } from 'node:http';

/** Methods whose requests may carry a body the service reads. */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request announces a body (a length above zero, or chunked framing). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const len = req.headers['content-length'];
  return len !== undefined && len !== '0';
}

/** The announced body length, or undefined for chunked bodies. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const len = req.headers['content-length'];
  if (len === undefined || req.headers['transfer-encoding'] !== undefined) return undefined;
  const n = Number(len);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** `application/json` or any `application/*+json`. */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

const CHARSET_PARAM = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i;

/**
 * True when the body is UTF-8: no charset parameter, or `utf-8`. JSON is UTF-8 (RFC 8259);
 * and the shape limits read the raw bytes, which only means something in an ASCII-compatible
 * encoding (in UTF-16 a quote byte can be half of another character).
 */
export function isUtf8(contentType: string | undefined): boolean {
  const match = CHARSET_PARAM.exec(contentType ?? '');
  if (match === null) return true;
  const charset = match[2].toLowerCase();
  return charset === 'utf-8';
}

export type BodyCoding = 'identity' | 'gzip' | 'deflate';

/** The request's single content coding, or undefined when it is one the service does not accept. */
export function bodyCoding(req: IncomingMessage): BodyCoding | undefined {
  const raw = req.headers['content-encoding'];
  if (raw === undefined) return 'identity';
  const coding = raw.trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'deflate') return coding;
  return undefined;
}

