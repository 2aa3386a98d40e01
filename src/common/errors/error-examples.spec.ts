import { HttpException } from '@nestjs/common';
import { EXAMPLE_REQUEST_ID, EXAMPLE_TIMESTAMP } from '../dto/error-envelope.dto';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { errorExample, errorExamples, statusOf } from './error-examples';
import { StandardErrors } from './standard-errors';

describe('error examples', () => {
  it('are the envelope the error filter sends, with a fixed request id and time', () => {
    expect(errorExample(StandardErrors.rateLimited(7))).toEqual({
      summary: 'Rate limit exceeded',
      value: {
        error_code: ErrorCode.RATE_LIMIT_EXCEEDED,
        message: 'Rate limit exceeded',
        detail: 'Rate limit exceeded',
        request_id: EXAMPLE_REQUEST_ID,
        timestamp: EXAMPLE_TIMESTAMP,
        retry_after: 7,
      },
    });
    expect(errorExample(AppException.validation([{ field: 'body.x', message: 'x is bad' }])).value.details).toEqual([{ field: 'body.x', message: 'x is bad' }]);
    // A framework error with only a status, and an unexpected failure, as the filter maps them.
    expect(errorExample(new HttpException('anything', 409)).value).toMatchObject({ error_code: ErrorCode.CONFLICT, message: 'Conflict' });
    expect(errorExample(new Error('secret detail')).value).toMatchObject({ error_code: ErrorCode.INTERNAL_ERROR, message: 'Internal server error' });
    expect(statusOf(StandardErrors.authentication(true))).toBe(401);
  });

  it('are named by error code, numbered when two share one', () => {
    const examples = errorExamples([StandardErrors.authentication(true), StandardErrors.authentication(false), StandardErrors.authentication(true)]);
    expect(Object.keys(examples)).toEqual([ErrorCode.AUTHENTICATION_REQUIRED, ErrorCode.INVALID_API_KEY, `${ErrorCode.AUTHENTICATION_REQUIRED}_2`]);
  });
});
