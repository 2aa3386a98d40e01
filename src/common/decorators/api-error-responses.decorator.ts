import { HttpException, applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { DEFAULT_MAX_BODY_BYTES } from '../../config/app-config';
import { ErrorEnvelopeDto } from '../dto/error-envelope.dto';
import { AppException } from '../errors/app.exception';
import { DEFAULT_MESSAGE_FOR_STATUS } from '../errors/error-code';
import { errorExamples, statusOf } from '../errors/error-examples';
import { StandardErrors } from '../errors/standard-errors';
import { NOT_A_JSON_OBJECT } from '../pipes/validation.pipe';

/**
 * An error a route documents: the error it raises (its envelope becomes the response example),
 * or a bare status (documented with the envelope the service sends for a status raised without
 * a code of its own: DEFAULT_CODE_FOR_STATUS).
 */
export type DocumentedError = number | Error;

const DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [400, 'Malformed or invalid request'],
  [401, 'Missing or invalid API key'],
  [403, 'The API key lacks the role for this route'],
  [404, 'Unknown resource'],
  [409, 'Conflict with existing state'],
  [413, 'Body over the size limit'],
  [415, 'Body is not application/json'],
  [422, 'Field validation failed'],
  [429, 'Too many requests; see Retry-After'],
  [500, 'Internal failure'],
  [503, 'Temporarily unavailable; see Retry-After when present'],
  [504, 'Compute deadline exceeded'],
]);

/** retry_after of the documented 429: one token of the default bucket (100 per minute) is back within a second. */
const EXAMPLE_RETRY_AFTER = 1;

/**
 * The statuses every route with a JSON body and an API key can answer, with the refusals the
 * service's own layers raise for them (body admission, authentication, rate limit, validation).
 * A plain Error is what an unexpected failure looks like to the error filter.
 */
const CROSS_CUTTING: Record<number, () => Error[]> = {
  400: () => [StandardErrors.malformedJson()],
  401: () => [StandardErrors.authentication(true), StandardErrors.authentication(false)],
  413: () => [StandardErrors.bodyOverLimit(DEFAULT_MAX_BODY_BYTES)],
  415: () => [StandardErrors.unsupportedMediaType()],
  422: () => [AppException.validation([{ field: 'body', message: NOT_A_JSON_OBJECT }])],
  429: () => [StandardErrors.rateLimited(EXAMPLE_RETRY_AFTER)],
  500: () => [new Error('unexpected failure')],
};

function asError(entry: DocumentedError): Error {
  return typeof entry === 'number' ? new HttpException(DEFAULT_MESSAGE_FOR_STATUS.get(entry) ?? 'Error', entry) : entry;
}

/**
 * One documented error status: the envelope schema, an example per error (as the service sends
 * it) and a description naming the error codes of the examples.
 */
export function ApiErrorResponse(options: { errors: readonly Error[]; description?: string }): MethodDecorator & ClassDecorator {
  const status = statusOf(options.errors[0]);
  const examples = errorExamples(options.errors);
  for (const error of options.errors) {
    if (statusOf(error) !== status) throw new Error(`ApiErrorResponse: examples of one status only (${status} and ${statusOf(error)})`);
  }
  const codes = [...new Set(Object.values(examples).map((e) => e.value.error_code))].join(', ');
  const description = `${options.description ?? DESCRIPTIONS.get(status) ?? 'Error'} (${codes})`;
  return ApiResponse({ status, description, type: ErrorEnvelopeDto, examples });
}

/**
 * Documents the error envelope for the statuses every route has (400, 401, 413, 415, 422, 429,
 * 500) and for the route's own errors, given as the errors it raises (or bare statuses). A
 * route's errors come first in their status's examples, followed by the cross-cutting refusal
 * of that status, if any.
 */
export function ApiErrorResponses(...entries: DocumentedError[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, Error[]>();
  for (const error of entries.map(asError)) {
    const status = statusOf(error);
    byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  }
  for (const [status, standard] of Object.entries(CROSS_CUTTING)) {
    const code = Number(status);
    byStatus.set(code, [...(byStatus.get(code) ?? []), ...standard()]);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  return applyDecorators(...statuses.map((status) => ApiErrorResponse({ errors: byStatus.get(status)! })));
}
