import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../dto/error-envelope.dto';

const DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [400, 'Malformed or invalid request (INVALID_REQUEST)'],
  [401, 'Missing or invalid API key (AUTHENTICATION_REQUIRED, INVALID_API_KEY)'],
  [403, 'The API key lacks the role for this route (FORBIDDEN)'],
  [404, 'Unknown resource (NOT_FOUND)'],
  [409, 'Conflict with existing state'],
  [413, 'Body over the size limit (PAYLOAD_TOO_LARGE)'],
  [415, 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)'],
  [422, 'Field validation failed (VALIDATION_ERROR)'],
  [429, 'Rate limit exceeded (RATE_LIMIT_EXCEEDED); see Retry-After'],
  [500, 'Internal failure (INTERNAL_ERROR, COMPUTATION_FAILED, NUMERICAL_INSTABILITY)'],
  [503, 'Temporarily unavailable (SERVICE_UNAVAILABLE); see Retry-After'],
  [504, 'Compute deadline exceeded (GATEWAY_TIMEOUT)'],
]);

/** Documents the error envelope for the given statuses (plus the ones every protected route has). */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([400, 401, 413, 415, 422, 429, 500, ...statuses])].sort();
  return applyDecorators(
    ...all.map((status) => ApiResponse({ status, description: DESCRIPTIONS.get(status) ?? 'Error', type: ErrorEnvelopeDto })),
  );
}
