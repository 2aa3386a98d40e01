"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MESSAGE_FOR_STATUS = exports.DEFAULT_CODE_FOR_STATUS = exports.ErrorCode = void 0;
/** The error catalogue of the envelope (SERVICE.md §5). One code per failure kind, upper case. */
var ErrorCode;
(function (ErrorCode) {
    ErrorCode["AUTHENTICATION_REQUIRED"] = "AUTHENTICATION_REQUIRED";
    ErrorCode["INVALID_API_KEY"] = "INVALID_API_KEY";
    ErrorCode["FORBIDDEN"] = "FORBIDDEN";
    ErrorCode["NOT_FOUND"] = "NOT_FOUND";
    ErrorCode["METHOD_NOT_ALLOWED"] = "METHOD_NOT_ALLOWED";
    ErrorCode["PAYLOAD_TOO_LARGE"] = "PAYLOAD_TOO_LARGE";
    ErrorCode["UNSUPPORTED_MEDIA_TYPE"] = "UNSUPPORTED_MEDIA_TYPE";
    ErrorCode["VALIDATION_ERROR"] = "VALIDATION_ERROR";
    ErrorCode["INVALID_REQUEST"] = "INVALID_REQUEST";
    ErrorCode["CONFLICT"] = "CONFLICT";
    ErrorCode["RATE_LIMIT_EXCEEDED"] = "RATE_LIMIT_EXCEEDED";
    ErrorCode["CRYPTO_ERROR"] = "CRYPTO_ERROR";
    ErrorCode["ENCRYPTION_FAILED"] = "ENCRYPTION_FAILED";
    ErrorCode["DECRYPTION_FAILED"] = "DECRYPTION_FAILED";
    ErrorCode["SIGNATURE_FAILED"] = "SIGNATURE_FAILED";
    ErrorCode["VERIFICATION_FAILED"] = "VERIFICATION_FAILED";
    ErrorCode["KEY_GENERATION_FAILED"] = "KEY_GENERATION_FAILED";
    ErrorCode["INTERNAL_ERROR"] = "INTERNAL_ERROR";
    ErrorCode["COMPUTATION_FAILED"] = "COMPUTATION_FAILED";
    ErrorCode["NUMERICAL_INSTABILITY"] = "NUMERICAL_INSTABILITY";
    ErrorCode["SERVICE_UNAVAILABLE"] = "SERVICE_UNAVAILABLE";
    ErrorCode["GATEWAY_TIMEOUT"] = "GATEWAY_TIMEOUT";
})(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
/** The code used when a framework error carries only a status. */
exports.DEFAULT_CODE_FOR_STATUS = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.AUTHENTICATION_REQUIRED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMIT_EXCEEDED,
    500: ErrorCode.INTERNAL_ERROR,
    503: ErrorCode.SERVICE_UNAVAILABLE,
    504: ErrorCode.GATEWAY_TIMEOUT,
};
/** Generic, library-free messages for statuses raised without one of our own. */
exports.DEFAULT_MESSAGE_FOR_STATUS = {
    400: 'Invalid request',
    401: 'Authentication required',
    403: 'Forbidden',
    404: 'Resource not found',
    405: 'Method not allowed',
    406: 'Not acceptable',
    408: 'Request timeout',
    409: 'Conflict',
    410: 'Gone',
    411: 'Length required',
    412: 'Precondition failed',
    413: 'Request body too large',
    414: 'URI too long',
    415: 'Unsupported media type: send application/json',
    416: 'Range not satisfiable',
    417: 'Expectation failed',
    418: 'Invalid request',
    421: 'Misdirected request',
    422: 'Validation failed',
    424: 'Failed dependency',
    428: 'Precondition required',
    429: 'Rate limit exceeded',
    431: 'Request header fields too large',
    500: 'Internal server error',
    501: 'Not implemented',
    502: 'Bad gateway',
    503: 'Service unavailable',
    504: 'Request timed out',
};
//# sourceMappingURL=error-code.js.map