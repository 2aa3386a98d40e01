import { HttpStatus } from '@nestjs/common';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';

/** Sent with every 401 so clients learn where the credential goes. */
export const WWW_AUTHENTICATE = 'API-Key header="X-API-Key"';
/** The previous service's wording, kept for its clients. */
export const AUTH_FAILED_MESSAGE = 'Invalid or missing API key';
export const MALFORMED_JSON_MESSAGE = 'Malformed JSON in request body';
export const bodyOverLimitMessage = (bytes: number) => `Request body exceeds the limit of ${bytes} bytes`;

/**
 * The refusals any route can answer, whichever module raises them (authentication, roles, rate
 * limit, body admission). The guards throw these, and the API documentation shows them as its
 * error examples (ApiErrorResponses), so the two cannot drift apart.
 */
export const StandardErrors = {
  /** No X-API-Key (`missing`) or one that is unknown or expired. */
  authentication: (missing: boolean) =>
    new AppException(missing ? ErrorCode.AUTHENTICATION_REQUIRED : ErrorCode.INVALID_API_KEY, AUTH_FAILED_MESSAGE, HttpStatus.UNAUTHORIZED, {
      headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
    }),

  roleRequired: (roles: readonly string[]) =>
    new AppException(ErrorCode.FORBIDDEN, `This API key lacks the role required here (${roles.join(' or ')})`, HttpStatus.FORBIDDEN),

  rateLimited: (retryAfter: number) =>
    new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit exceeded', HttpStatus.TOO_MANY_REQUESTS, { retryAfter }),

  malformedJson: () => AppException.badRequest(MALFORMED_JSON_MESSAGE),

  payloadTooLarge: (message: string) => new AppException(ErrorCode.PAYLOAD_TOO_LARGE, message, HttpStatus.PAYLOAD_TOO_LARGE),

  bodyOverLimit: (bytes: number) => StandardErrors.payloadTooLarge(bodyOverLimitMessage(bytes)),

  unsupportedMediaType: (message = 'Unsupported media type: send the body as application/json') =>
    new AppException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, HttpStatus.UNSUPPORTED_MEDIA_TYPE),
};
