import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../dto/error-envelope.dto';
import { codesForStatus } from '../errors/error-code';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid request',
  401: 'Missing or invalid API key',
  403: 'The API key lacks the role for this route',
  404: 'Unknown resource',
  409: 'Conflict with existing state',
  413: 'Body over the size limit',
  415: 'Body is not application/json',
  422: 'Field validation failed',
  429: 'Rate limit exceeded; see Retry-After',
  500: 'Internal failure',
  503: 'Temporarily unavailable; see Retry-After',
  504: 'Compute deadline exceeded',
};

/** The response description: what the status means and the error codes it is answered with (ERROR_CODE_STATUSES). */
export function errorDescription(status: number): string {
  const codes = codesForStatus(status);
  const text = DESCRIPTIONS[status] ?? 'Error';
  return codes.length > 0 ? `${text} (${codes.join(', ')})` : text;
}

/** Documents the error envelope for the given statuses (plus the ones every protected route has). */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([400, 401, 413, 415, 422, 429, 500, ...statuses])].sort();
  return applyDecorators(...all.map((status) => ApiResponse({ status, description: errorDescription(status), type: ErrorEnvelopeDto })));
}
