import { BadRequestException, HttpStatus, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { buildEnvelope, describeError, resolveError } from './error-envelope';

describe('resolveError', () => {
  it('keeps the code, message, details and headers of an AppException', () => {
    const err = new AppException(ErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit exceeded', 429, { retryAfter: 7 });
    const r = resolveError(err);
    expect(r).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded', retryAfter: 7 });
    expect(r.headers['Retry-After']).toBe('7');
    expect(r.unexpected).toBe(false);
  });

  it('replaces framework messages with our own generic ones', () => {
    expect(resolveError(new NotFoundException('Cannot GET /secret/path'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Resource not found',
    });
    expect(resolveError(new BadRequestException('library text'))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(resolveError(new ServiceUnavailableException({ x: 1 }))).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('maps body-parser errors to 400, 413 and 415', () => {
    expect(resolveError({ type: 'entity.parse.failed', status: 400 })).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(resolveError({ type: 'entity.too.large', status: 413, limit: 10 })).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body exceeds the limit of 10 bytes',
    });
    expect(resolveError({ type: 'charset.unsupported', status: 415 })).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('turns anything else into a 500 without its text', () => {
    const r = resolveError(new TypeError('Cannot read properties of undefined (reading /app/dist/x.js)'));
    expect(r).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', unexpected: true });
    expect(resolveError('a string')).toMatchObject({ status: 500 });
    expect(resolveError({ status: 502 })).toMatchObject({ status: 500 });
  });
});

describe('buildEnvelope', () => {
  it('has the envelope fields and omits empty ones', () => {
    const env = buildEnvelope(resolveError(AppException.notFound('Key not found')), 'req-1');
    expect(Object.keys(env).sort()).toEqual(['detail', 'error_code', 'message', 'request_id', 'timestamp']);
    expect(env.detail).toBe(env.message);
    expect(env.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('carries validation details and retry_after', () => {
    const env = buildEnvelope(resolveError(AppException.validation([{ field: 'body.x', message: 'bad' }])), 'r');
    expect(env).toMatchObject({ error_code: 'VALIDATION_ERROR', message: 'Validation failed: 1 error(s)', details: [{ field: 'body.x' }] });
    const limited = buildEnvelope(resolveError(AppException.unavailable('busy', 3)), 'r');
    expect(limited.retry_after).toBe(3);
    expect(HttpStatus.SERVICE_UNAVAILABLE).toBe(503);
  });
});

describe('describeError', () => {
  it('hides file paths', () => {
    expect(describeError(new Error('failed at /srv/app/dist/main.js')).message).not.toContain('/srv/app');
  });
});
