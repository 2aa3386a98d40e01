import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code';

/** One validation problem: `field` is the dotted location, e.g. `body.z_valence`. */
export interface ErrorDetail {
  field: string;
  message: string;
  value?: unknown;
}

export interface AppExceptionOptions {
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  retryAfter?: number;
  cause?: unknown;
}

/**
 * The typed error every module raises. The global filter turns it into the envelope; the
 * message must already be safe to show a client (no secrets, paths or library text).
 */
export class AppException extends HttpException {
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;
  readonly retryAfter?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    status: HttpStatus | number,
    options: AppExceptionOptions = {},
  ) {
    super(message, status, { cause: options.cause });
    this.details = options.details;
    this.headers = options.headers;
    this.retryAfter = options.retryAfter;
  }

  static validation(details: ErrorDetail[]): AppException {
    return new AppException(
      ErrorCode.VALIDATION_ERROR,
      `Validation failed: ${details.length} error(s)`,
      HttpStatus.UNPROCESSABLE_ENTITY,
      { details },
    );
  }

  static badRequest(message: string, code = ErrorCode.INVALID_REQUEST): AppException {
    return new AppException(code, message, HttpStatus.BAD_REQUEST);
  }

  static notFound(message = 'Resource not found'): AppException {
    return new AppException(ErrorCode.NOT_FOUND, message, HttpStatus.NOT_FOUND);
  }

  static unavailable(message: string, retryAfter?: number): AppException {
    return new AppException(ErrorCode.SERVICE_UNAVAILABLE, message, HttpStatus.SERVICE_UNAVAILABLE, {
      retryAfter,
      headers: retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : undefined,
    });
  }
}
