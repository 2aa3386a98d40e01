import express from 'express';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { jsonLogger } from '../../../test/helpers/json-logger';
import { expressErrorHandler } from '../middleware/error-handler.middleware';
import { requestIdMiddleware } from '../middleware/request-id.middleware';
import { createServiceServer } from './protocol-errors';
import { requireHostHeader } from '../middleware/host-header.middleware';

const CRLF = '\r\n';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Every status line received, in order (several for pipelined requests). */
  statuses: number[];
}

/** Writes `raw` to a fresh connection and reads until the server closes it. */
function sendRaw(port: number, raw: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(raw, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4), statuses });
    });
  });
}

/**
 * The server createServiceServer builds, around a small Express app with the service's request
 * id, Host check and error handler: what Node's HTTP parser refuses is answered in the envelope,
 * and Node's own Host check is off from construction, so the pipeline answers it instead.
 */
describe('createServiceServer', () => {
  const { logger, logged } = jsonLogger();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const app = express();
    app.use(requestIdMiddleware, requireHostHeader);
    app.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    // Answers a moment later, as a guarded route does: a parser error meanwhile concerns this
    // request (and may have answered it already).
    app.all('/slow', (_req, res) => {
      setTimeout(() => {
        if (!res.headersSent) res.json({ slow: true });
      }, 50);
    });
    app.use(expressErrorHandler(logger, false));
    server = createServiceServer(app, { logger });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  function expectEnvelope(answer: RawAnswer, code: string, message: string): void {
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toMatchObject({ error_code: code, message, detail: message, request_id: answer.headers['x-request-id'] });
  }

  it.each([
    ['a malformed request line', `BREW /ok HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`, 400, 'Malformed HTTP request', 'HPE_INVALID_METHOD'],
    ['a header without a colon', `GET /ok HTTP/1.1${CRLF}Host: x${CRLF}NoColon${CRLF}${CRLF}`, 400, 'Malformed HTTP request', 'HPE_INVALID_HEADER_TOKEN'],
    ['headers over 16 KiB', `GET /ok HTTP/1.1${CRLF}Host: x${CRLF}X-Big: ${'b'.repeat(20_000)}${CRLF}${CRLF}`, 431, 'Request header fields too large', 'HPE_HEADER_OVERFLOW'],
  ])('answers %s with the envelope, a fresh id and an access record', async (_name, raw, status, message, reason) => {
    const answer = await sendRaw(port, raw);
    expect(answer.status).toBe(status);
    expect(answer.headers['x-request-id']).toMatch(UUID_V4);
    expect(answer.headers.connection).toBe('close');
    expectEnvelope(answer, 'INVALID_REQUEST', message);
    expect(logged).toContainEqual(
      expect.objectContaining({ action: 'api_request', request_id: answer.headers['x-request-id'], status, reason, msg: 'malformed request rejected' }),
    );
  });

  it('answers CONNECT with 405 and Allow', async () => {
    const answer = await sendRaw(port, `CONNECT elsewhere.example:443 HTTP/1.1${CRLF}Host: elsewhere.example:443${CRLF}${CRLF}`);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
    expectEnvelope(answer, 'METHOD_NOT_ALLOWED', 'Method CONNECT is not allowed');
  });

  it('lets HTTP/1.1 without Host through to the pipeline, whose Host check answers in the envelope', async () => {
    const answer = await sendRaw(port, `GET /ok HTTP/1.1${CRLF}X-Request-ID: no-host-1${CRLF}Connection: close${CRLF}${CRLF}`);
    expect(answer.status).toBe(400);
    expect(answer.headers['x-request-id']).toBe('no-host-1');
    expectEnvelope(answer, 'INVALID_REQUEST', 'Missing Host header');
    const old = await sendRaw(port, `GET /ok HTTP/1.0${CRLF}${CRLF}`);
    expect(old.status).toBe(200);
  });

  it('answers broken body framing of a request being answered through that request, with its id', async () => {
    const raw = `POST /slow HTTP/1.1${CRLF}Host: x${CRLF}X-Request-ID: framing-2${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`;
    const answer = await sendRaw(port, raw);
    expect(answer.statuses).toEqual([400]);
    expect(answer.headers['x-request-id']).toBe('framing-2');
    expectEnvelope(answer, 'INVALID_REQUEST', 'Malformed request body framing');
  });

  it('still answers a complete request when garbage follows it on the connection, then closes', async () => {
    const raw = `GET /slow HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}GARBAGE /x HTTP/7${CRLF}${CRLF}`;
    const answer = await sendRaw(port, raw);
    expect(answer.statuses).toEqual([200]);
    expect(JSON.parse(answer.body)).toEqual({ slow: true });
  });
});
