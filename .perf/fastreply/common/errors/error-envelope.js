"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolveError = resolveError;
exports.buildEnvelope = buildEnvelope;
exports.describeError = describeError;
const common_1 = require("@nestjs/common");
const app_exception_1 = require("./app.exception");
const error_code_1 = require("./error-code");
const BODY_ERRORS = {
    'entity.parse.failed': { status: 400, code: error_code_1.ErrorCode.INVALID_REQUEST, message: () => 'Malformed JSON in request body' },
    'entity.verify.failed': { status: 400, code: error_code_1.ErrorCode.INVALID_REQUEST, message: () => 'Request body could not be verified' },
    'entity.too.large': {
        status: 413,
        code: error_code_1.ErrorCode.PAYLOAD_TOO_LARGE,
        message: (e) => (e.limit ? `Request body exceeds the limit of ${e.limit} bytes` : 'Request body too large'),
    },
    'encoding.unsupported': { status: 415, code: error_code_1.ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'Unsupported content encoding' },
    'charset.unsupported': { status: 415, code: error_code_1.ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: () => 'Unsupported charset: send UTF-8 JSON' },
    'request.aborted': { status: 400, code: error_code_1.ErrorCode.INVALID_REQUEST, message: () => 'Request aborted' },
    'request.size.invalid': { status: 400, code: error_code_1.ErrorCode.INVALID_REQUEST, message: () => 'Request size did not match Content-Length' },
};
function statusOf(err) {
    const s = err.status ?? err.statusCode;
    return typeof s === 'number' && s >= 400 && s <= 599 ? s : undefined;
}
/** Maps any thrown value to what the client sees. Never copies library or exception text for 5xx. */
function resolveError(err) {
    if (err instanceof app_exception_1.AppException) {
        const status = err.getStatus();
        const headers = { ...(err.headers ?? {}) };
        if (err.retryAfter !== undefined)
            headers['Retry-After'] = String(err.retryAfter);
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
    if (err instanceof common_1.HttpException) {
        const status = err.getStatus();
        return {
            status,
            code: error_code_1.DEFAULT_CODE_FOR_STATUS[status] ?? (status >= 500 ? error_code_1.ErrorCode.INTERNAL_ERROR : error_code_1.ErrorCode.INVALID_REQUEST),
            message: error_code_1.DEFAULT_MESSAGE_FOR_STATUS[status] ?? (status >= 500 ? 'Internal server error' : 'Invalid request'),
            headers: {},
            unexpected: status >= 500,
        };
    }
    if (err && typeof err === 'object') {
        const lib = err;
        const known = lib.type ? BODY_ERRORS[lib.type] : undefined;
        if (known) {
            return { status: known.status, code: known.code, message: known.message(lib), headers: {}, unexpected: false };
        }
        const status = statusOf(lib);
        if (status !== undefined && status < 500) {
            return {
                status,
                code: error_code_1.DEFAULT_CODE_FOR_STATUS[status] ?? error_code_1.ErrorCode.INVALID_REQUEST,
                message: error_code_1.DEFAULT_MESSAGE_FOR_STATUS[status] ?? 'Invalid request',
                headers: {},
                unexpected: false,
            };
        }
    }
    return {
        status: 500,
        code: error_code_1.ErrorCode.INTERNAL_ERROR,
        message: 'Internal server error',
        headers: {},
        unexpected: true,
    };
}
function buildEnvelope(resolved, requestId) {
    const body = {
        error_code: resolved.code,
        message: resolved.message,
        detail: resolved.message,
        request_id: requestId,
        timestamp: new Date().toISOString(),
    };
    if (resolved.details && resolved.details.length > 0)
        body.details = resolved.details;
    if (resolved.retryAfter !== undefined)
        body.retry_after = resolved.retryAfter;
    return body;
}
/** Name and a short, path-free description of an error for the logs. */
function describeError(err) {
    if (err instanceof Error) {
        const message = err.message.replace(/(\/[\w.-]+){2,}/g, '<path>').slice(0, 200);
        return { type: err.name || err.constructor?.name || 'Error', message };
    }
    return { type: typeof err, message: 'non-error value thrown' };
}
//# sourceMappingURL=error-envelope.js.map