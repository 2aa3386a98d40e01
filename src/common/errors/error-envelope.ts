import { HttpException } from '@nestjs/common';
import { AppException, ErrorDetail } from './app.exception';
import { DEFAULT_CODE_FOR_STATUS, DEFAULT_MESSAGE_FOR_STATUS, ErrorCode } from './error-code';
import { MALFORMED_JSON_MESSAGE, bodyOverLimitMessage } from './standard-errors';

/** The JSON body of every non-2xx response. Null fields are omitted. */
export interface ErrorEnvelope {
  error_code: string;
  message: string;
  /** Copy of `message`, kept for clients of the previous service. */
  detail: string;
  details?: ErrorDetail[];
  /** How many `details` entries were left off (only when there were more than MAX_ERROR_DETAILS). */
  details_truncated?: number;
  request_id: string;
  timestamp: string;
  retry_after?: number;
}

/**
 * Bounds of an error body, whatever route or layer raised the error: the first 20 details (the
 * message keeps the true count), each `field` and `message` cut to a fixed length. Echoed values
 * are cut where they are taken from the request (the validation pipe).
 */
export const MAX_ERROR_DETAILS = 20;
export const MAX_DETAIL_FIELD_LENGTH = 128;
export const MAX_DETAIL_MESSAGE_LENGTH = 256;
/** Ends a cut `field` or `message`, so a reader knows the text went on. */
const CUT_MARK = '…';

/** `text` cut to at most `max` characters, the last one being the cut mark when anything was dropped. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair: half a character is not valid text.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${CUT_MARK}`;
}

function boundedDetail(detail: ErrorDetail): ErrorDetail {
  const field = String(detail.field);
  const message = String(detail.message);
  if (field.length <= MAX_DETAIL_FIELD_LENGTH && message.length <= MAX_DETAIL_MESSAGE_LENGTH) return detail;
  const out: ErrorDetail = {
    field: cutText(field, MAX_DETAIL_FIELD_LENGTH),
    message: cutText(message, MAX_DETAIL_MESSAGE_LENGTH),
  };
  if ('value' in detail) out.value = detail.value;
  return out;
}

export interface ResolvedError {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers: Record<string, string>;
  retryAfter?: number;
  /** True when the failure is ours (5xx not raised on purpose): log it as an error. */
  unexpected: boolean;
}

/** Errors raised by express/body-parser carry a `type` and a status. */
interface HttpLibraryError {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
}

interface BodyError {
  status: number;
  code: ErrorCode;
  message: (e: HttpLibraryError) => string;
}

/** Body-parser's errors by their `type` (a Map: no `type` value can reach an Object member). */
const BODY_ERRORS: ReadonlyMap<string, BodyError> = new Map<string, BodyError>([
  ['entity.parse.failed', { status: 400, code: ErrorCode.INVALID_REQUEST, message: () => MALFORMED_JSON_MESSAGE }],
  ['entity.verify.failed', { status: 400, code: ErrorCode.INVALID_REQUEST, message: () => 'Request body could not be verified' }],
  [
    'entity.too.large',
    {
      status: 413,
      code: ErrorCode.PAYLOAD_TOO_LARGE,
      message: (e) => (e.limit ? bodyOverLimitMessage(e.limit) : 'Request body too large'),
    },
  ],
  ['encoding.unsupported', { status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'Unsupported content encoding' }],
  ['charset.unsupported', { status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'Unsupported charset: send UTF-8 JSON' }],
  ['request.aborted', { status: 400, code: ErrorCode.INVALID_REQUEST, message: () => 'Request aborted' }],
  ['request.size.invalid', { status: 400, code: ErrorCode.INVALID_REQUEST, message: () => 'Request size did not match Content-Length' }],
]);

function statusOf(err: HttpLibraryError): number | undefined {
  const s = err.status ?? err.statusCode;
  return typeof s === 'number' && s >= 400 && s <= 599 ? s : undefined;
}

/** Maps any thrown value to what the client sees. Never copies library or exception text for 5xx. */
export function resolveError(err: unknown): ResolvedError {
  if (err instanceof AppException) {
    const status = err.getStatus();
    const headers = { ...(err.headers ?? {}) };
    if (err.retryAfter !== undefined) headers['Retry-After'] = String(err.retryAfter);
    return {
      status,
      code: err.code,
      message: err.message,
      details: err.details,
      headers,
      retryAfter: err.retryAfter,
      unexpected: false,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    return {
      status,
      code: DEFAULT_CODE_FOR_STATUS.get(status) ?? (status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST),
      message: DEFAULT_MESSAGE_FOR_STATUS.get(status) ?? (status >= 500 ? 'Internal server error' : 'Invalid request'),
      headers: {},
      unexpected: status >= 500,
    };
  }
  if (err && typeof err === 'object') {
    const lib = err as HttpLibraryError;
    const known = lib.type ? BODY_ERRORS.get(lib.type) : undefined;
    if (known) {
      return { status: known.status, code: known.code, message: known.message(lib), headers: {}, unexpected: false };
    }
    const status = statusOf(lib);
    if (status !== undefined && status < 500) {
      return {
        status,
        code: DEFAULT_CODE_FOR_STATUS.get(status) ?? ErrorCode.INVALID_REQUEST,
        message: DEFAULT_MESSAGE_FOR_STATUS.get(status) ?? 'Invalid request',
        headers: {},
        unexpected: false,
      };
    }
  }
  return {
    status: 500,
    code: ErrorCode.INTERNAL_ERROR,
    message: 'Internal server error',
    headers: {},
    unexpected: true,
  };
}

export function buildEnvelope(resolved: ResolvedError, requestId: string): ErrorEnvelope {
  const body: ErrorEnvelope = {
    error_code: resolved.code,
    message: resolved.message,
    detail: resolved.message,
    request_id: requestId,
    timestamp: new Date().toISOString(),
  };
  const details = resolved.details;
  if (details && details.length > 0) {
    const shown = details.length > MAX_ERROR_DETAILS ? details.slice(0, MAX_ERROR_DETAILS) : details;
    body.details = shown.map(boundedDetail);
    if (details.length > shown.length) body.details_truncated = details.length - shown.length;
  }
  if (resolved.retryAfter !== undefined) body.retry_after = resolved.retryAfter;
  return body;
}

/** Name and a short, path-free description of an error for the logs. */
export function describeError(err: unknown): { type: string; message: string } {
  if (err instanceof Error) {
    // eslint-disable-next-line security/detect-unsafe-regex -- each repetition starts with `/`, which `[\w.-]` cannot match, so a run splits into groups one way only: linear in the message
    const message = err.message.replace(/(\/[\w.-]+){2,}/g, '<path>').slice(0, 200);
    return { type: err.name || err.constructor?.name || 'Error', message };
  }
  return { type: typeof err, message: 'non-error value thrown' };
}
