import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonLogger } from '../../../test/helpers/json-logger';
import { AppException } from '../errors';
import { expressErrorHandler } from './error-handler.middleware';
import { requestIdMiddleware } from './request-id.middleware';

/**
 * The front middlewares are registered one by one with `app.use`, so Express 5 runs them: a
 * middleware that throws, calls next(err) or returns a rejected promise reaches the error handler
 * and is answered in the envelope, over real HTTP.
 */
describe('expressErrorHandler behind Express middlewares', () => {
  const { logger, logged } = jsonLogger();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(requestIdMiddleware);
    app.use('/refused', async () => {
      await Promise.resolve();
      throw AppException.unavailable('Not now', 3);
    });
    app.use('/broken', async () => {
      await Promise.resolve();
      throw new Error('secret detail /srv/app/internal.ts');
    });
    app.use('/thrown', () => {
      throw AppException.badRequest('Thrown at once');
    });
    app.use('/passed', (_req, _res, next) => next(AppException.notFound()));
    app.use((_req, res) => {
      res.status(200).json({ reached: 'end' });
    });
    app.use(expressErrorHandler(logger, false));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers a rejected promise with its envelope, headers and the request id', async () => {
    const res = await fetch(`${base}/refused`, { headers: { 'X-Request-ID': 'async-reject-1' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-request-id')).toBe('async-reject-1');
    expect(await res.json()).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE', message: 'Not now', retry_after: 3, request_id: 'async-reject-1' });
  });

  it('answers an unexpected rejection with a 500 that leaks nothing, and logs it', async () => {
    const res = await fetch(`${base}/broken`, { headers: { 'X-Request-ID': 'async-reject-2' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error_code: 'INTERNAL_ERROR', message: 'Internal server error', request_id: 'async-reject-2' });
    expect(text).not.toContain('secret detail');
    expect(text).not.toContain('/srv/app');
    expect(logged).toContainEqual(expect.objectContaining({ request_id: 'async-reject-2', msg: 'unhandled error' }));
  });

  it('answers a synchronous throw and next(err) the same way; other requests pass through', async () => {
    const thrown = await fetch(`${base}/thrown`);
    expect(thrown.status).toBe(400);
    expect(await thrown.json()).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'Thrown at once', request_id: thrown.headers.get('x-request-id') });
    const passed = await fetch(`${base}/passed`);
    expect(passed.status).toBe(404);
    expect(await passed.json()).toMatchObject({ error_code: 'NOT_FOUND' });
    const end = await fetch(`${base}/other`);
    expect(end.status).toBe(200);
    expect(await end.json()).toEqual({ reached: 'end' });
  });
});
