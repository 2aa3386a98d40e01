/** The error catalogue of the envelope. One code per failure kind, upper case. */
export enum ErrorCode {
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  INVALID_API_KEY = 'INVALID_API_KEY',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  VALIDATION_ERROR = 'VALIDATION_ERROR',
  INVALID_REQUEST = 'INVALID_REQUEST',
  CONFLICT = 'CONFLICT',
  RATE_LIMIT_EXCEEDED = 'RATE_LIMIT_EXCEEDED',
  CRYPTO_ERROR = 'CRYPTO_ERROR',
  DECRYPTION_FAILED = 'DECRYPTION_FAILED',
  VERIFICATION_FAILED = 'VERIFICATION_FAILED',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
  COMPUTATION_FAILED = 'COMPUTATION_FAILED',
  NUMERICAL_INSTABILITY = 'NUMERICAL_INSTABILITY',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  GATEWAY_TIMEOUT = 'GATEWAY_TIMEOUT',
}

/**
 * The statuses each code is answered with: the README's error table lists exactly these (checked
 * by src/common/errors/error-code.spec.ts), and the OpenAPI response descriptions name the codes
 * of each status from here.
 */
export const ERROR_CODE_STATUSES: Readonly<Record<ErrorCode, readonly number[]>> = {
  [ErrorCode.AUTHENTICATION_REQUIRED]: [401],
  [ErrorCode.INVALID_API_KEY]: [401],
  [ErrorCode.FORBIDDEN]: [403],
  [ErrorCode.NOT_FOUND]: [404],
  [ErrorCode.METHOD_NOT_ALLOWED]: [405],
  [ErrorCode.PAYLOAD_TOO_LARGE]: [413],
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: [415],
  [ErrorCode.VALIDATION_ERROR]: [422],
  [ErrorCode.INVALID_REQUEST]: [400, 408, 411, 431],
  [ErrorCode.CONFLICT]: [409],
  [ErrorCode.RATE_LIMIT_EXCEEDED]: [429],
  [ErrorCode.CRYPTO_ERROR]: [500],
  [ErrorCode.DECRYPTION_FAILED]: [400],
  [ErrorCode.VERIFICATION_FAILED]: [400],
  [ErrorCode.INTERNAL_ERROR]: [500],
  [ErrorCode.COMPUTATION_FAILED]: [500],
  [ErrorCode.NUMERICAL_INSTABILITY]: [500],
  [ErrorCode.SERVICE_UNAVAILABLE]: [503],
  [ErrorCode.GATEWAY_TIMEOUT]: [504],
};

/** The codes answered with `status`, in catalogue order. */
export function codesForStatus(status: number): ErrorCode[] {
  return (Object.entries(ERROR_CODE_STATUSES) as [ErrorCode, readonly number[]][]).filter(([, statuses]) => statuses.includes(status)).map(([code]) => code);
}

/** The code used when a framework error carries only a status. */
export const DEFAULT_CODE_FOR_STATUS: ReadonlyMap<number, ErrorCode> = new Map([
  [400, ErrorCode.INVALID_REQUEST],
  [401, ErrorCode.AUTHENTICATION_REQUIRED],
  [403, ErrorCode.FORBIDDEN],
  [404, ErrorCode.NOT_FOUND],
  [405, ErrorCode.METHOD_NOT_ALLOWED],
  [409, ErrorCode.CONFLICT],
  [413, ErrorCode.PAYLOAD_TOO_LARGE],
  [415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
  [422, ErrorCode.VALIDATION_ERROR],
  [429, ErrorCode.RATE_LIMIT_EXCEEDED],
  [500, ErrorCode.INTERNAL_ERROR],
  [503, ErrorCode.SERVICE_UNAVAILABLE],
  [504, ErrorCode.GATEWAY_TIMEOUT],
]);

/** Generic, library-free messages for statuses raised without one of our own. */
export const DEFAULT_MESSAGE_FOR_STATUS: ReadonlyMap<number, string> = new Map([
  [400, 'Invalid request'],
  [401, 'Authentication required'],
  [403, 'Forbidden'],
  [404, 'Resource not found'],
  [405, 'Method not allowed'],
  [406, 'Not acceptable'],
  [408, 'Request timeout'],
  [409, 'Conflict'],
  [410, 'Gone'],
  [411, 'Length required'],
  [412, 'Precondition failed'],
  [413, 'Request body too large'],
  [414, 'URI too long'],
  [415, 'Unsupported media type: send application/json'],
  [416, 'Range not satisfiable'],
  [417, 'Expectation failed'],
  [418, 'Invalid request'],
  [421, 'Misdirected request'],
  [422, 'Validation failed'],
  [424, 'Failed dependency'],
  [428, 'Precondition required'],
  [429, 'Rate limit exceeded'],
  [431, 'Request header fields too large'],
  [500, 'Internal server error'],
  [501, 'Not implemented'],
  [502, 'Bad gateway'],
  [503, 'Service unavailable'],
  [504, 'Request timed out'],
]);
