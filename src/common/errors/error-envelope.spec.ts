import { BadRequestException, HttpStatus, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import {
  MAX_DETAIL_FIELD_LENGTH,
  MAX_DETAIL_MESSAGE_LENGTH,
  MAX_ERROR_DETAILS,
  buildEnvelope,
  cutText,
  describeError,
  resolveError,
} from './error-envelope';

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

describe('error body bounds', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ field: `body.f${i}`, message: `f${i} must be a number`, value: i }));

  it('lists the first 20 details, says how many were left off and keeps the true count in the message', () => {
    const env = buildEnvelope(resolveError(AppException.validation(many(500))), 'r');
    expect(MAX_ERROR_DETAILS).toBe(20);
    expect(env.message).toBe('Validation failed: 500 error(s)');
    expect(env.details).toHaveLength(20);
    expect(env.details![0]).toEqual({ field: 'body.f0', message: 'f0 must be a number', value: 0 });
    expect(env.details![19].field).toBe('body.f19');
    expect(env.details_truncated).toBe(480);
  });

  it('leaves 20 or fewer details as they are, without details_truncated', () => {
    for (const n of [1, 20]) {
      const env = buildEnvelope(resolveError(AppException.validation(many(n))), 'r');
      expect(env.details).toEqual(many(n));
      expect('details_truncated' in env).toBe(false);
    }
  });

  it('cuts long field and message texts, marking the cut', () => {
    const long = { field: `body.${'k'.repeat(5000)}`, message: 'm'.repeat(5000), value: 'v' };
    const env = buildEnvelope(resolveError(AppException.validation([long])), 'r');
    const [d] = env.details!;
    expect(d.field).toHaveLength(MAX_DETAIL_FIELD_LENGTH);
    expect(d.field.startsWith('body.kkk')).toBe(true);
    expect(d.field.endsWith('…')).toBe(true);
    expect(d.message).toHaveLength(MAX_DETAIL_MESSAGE_LENGTH);
    expect(d.value).toBe('v');
    expect(JSON.stringify(env).length).toBeLessThan(1000);
  });

  it('never cuts a character in half', () => {
    expect(cutText(`${'a'.repeat(6)}\u{1F600}tail`, 8)).toBe('aaaaaa…');
    expect(cutText(`${'a'.repeat(5)}\u{1F600}tail`, 8)).toBe('aaaaa\u{1F600}…');
    expect(cutText('short', 8)).toBe('short');
  });
});

describe('describeError', () => {
  it('hides file paths', () => {
    expect(describeError(new Error('failed at /srv/app/dist/main.js')).message).not.toContain('/srv/app');
  });
});
