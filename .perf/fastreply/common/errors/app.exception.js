"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppException = void 0;
const common_1 = require("@nestjs/common");
const error_code_1 = require("./error-code");
/**
 * The typed error every module raises. The global filter turns it into the envelope; the
 * message must already be safe to show a client (no secrets, paths or library text).
 */
class AppException extends common_1.HttpException {
    code;
    details;
    headers;
    retryAfter;
    constructor(code, message, status, options = {}) {
        super(message, status, { cause: options.cause });
        this.code = code;
        this.details = options.details;
        this.headers = options.headers;
        this.retryAfter = options.retryAfter;
    }
    static validation(details) {
        return new AppException(error_code_1.ErrorCode.VALIDATION_ERROR, `Validation failed: ${details.length} error(s)`, common_1.HttpStatus.UNPROCESSABLE_ENTITY, { details });
    }
    static badRequest(message, code = error_code_1.ErrorCode.INVALID_REQUEST) {
        return new AppException(code, message, common_1.HttpStatus.BAD_REQUEST);
    }
    static notFound(message = 'Resource not found') {
        return new AppException(error_code_1.ErrorCode.NOT_FOUND, message, common_1.HttpStatus.NOT_FOUND);
    }
    static unavailable(message, retryAfter) {
        return new AppException(error_code_1.ErrorCode.SERVICE_UNAVAILABLE, message, common_1.HttpStatus.SERVICE_UNAVAILABLE, {
            retryAfter,
            headers: retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : undefined,
        });
    }
}
exports.AppException = AppException;
//# sourceMappingURL=app.exception.js.map