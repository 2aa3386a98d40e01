import { randomBytes } from 'node:crypto';
import { parseExposition, sampleValue } from '../ops/support/prometheus-text';
import { listenOnce } from '../helpers/raw-http';
import { TestApp, createTestApp } from '../helpers/test-app';
import { WireOutcome, sendHttp, sendRaw } from './support/wire-client';

/**
 * The faults the fuzz suite found, pinned one by one: input that used to end in a 500, a bare
 * status line without the envelope, or a dropped connection. Each answer is now a 4xx in the
 * envelope with the request id (or the request is served normally), with one access record.
 */
jest.setTimeout(60_000);

const CRLF = '\r\n';
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('hostile input found by the fuzz suite', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ MFN_ENV: 'dev', MFN_COMPUTE_WORKERS: '1' });
    port = await listenOnce(t.server);
  });

  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    sendHttp(port, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body });

  function envelopeOf(res: WireOutcome): Record<string, unknown> {
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body.request_id).toBe(res.headers['x-request-id']);
    expect(body.detail).toBe(body.message);
    return body;
  }

  function accessRecords(requestId: unknown): Record<string, unknown>[] {
    return t.logs.records().filter((r) => r.action === 'api_request' && r.request_id === requestId);
  }

  describe('JSON nesting', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it('accepts 32 levels and refuses 33 with 400 INVALID_REQUEST', async () => {
      // The object itself is level 1.
      const ok = await post('/nernst', `{"extra":${nested(31)},"concentration_out_molar":0.005,"concentration_in_molar":0.14}`);
      expect(ok.status).toBe(200);
      const refused = await post('/nernst', `{"extra":${nested(32)},"concentration_out_molar":0.005,"concentration_in_molar":0.14}`);
      expect(refused.status).toBe(400);
      expect(envelopeOf(refused)).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'JSON body nested deeper than 32 levels' });
    });

    it.each([
      ['/nernst', (deep: string) => `{"concentration_out_molar":${deep},"concentration_in_molar":1}`],
      ['/simulate', (deep: string) => `{"x":${deep}}`],
      ['/api/encrypt', (deep: string) => `{"plaintext":"aGk=","key_id":${deep}}`],
      ['/federated/aggregate', (deep: string) => `{"gradients":${deep}}`],
      ['/api/keys', (deep: string) => deep],
    ])('answers 20,000 levels on %s with 400, not a stack overflow', async (path, bodyOf) => {
      const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const res = await post(path, bodyOf(deep));
      expect(res.status).toBe(400);
      expect(envelopeOf(res).error_code).toBe('INVALID_REQUEST');
    });
  });

  describe('fields named like Object members', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a suspicious value in "%s" is ignored like any unknown field, not a 500', async (field) => {
      const res = await post('/api/encrypt', `{"${field}":"javascript:alert(1)","plaintext":"aGk="}`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ algorithm: 'AES-256-GCM', key_version: 1 });
      // The input scan reads only key_id, path and query parameters: nothing to report here.
      expect(t.logs.records().filter((r) => r.action === 'suspicious_activity' && r.request_id === res.headers['x-request-id'])).toEqual([]);
    });

    it('an ordinary value in them is ignored like any unknown field', async () => {
      const res = await post('/nernst', '{"constructor":"x","__proto__":{"z":1},"prototype":1,"concentration_out_molar":0.005,"concentration_in_molar":0.14}');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ potential_mV: -89.01066911987907 });
    });
  });

  describe('null in optional crypto fields', () => {
    it('means "absent": encrypt and decrypt with associated_data null round-trip', async () => {
      const plaintext = randomBytes(16).toString('base64');
      const sealed = await post('/api/encrypt', JSON.stringify({ plaintext, associated_data: null, key_id: null }));
      expect(sealed.status).toBe(200);
      const { ciphertext } = JSON.parse(sealed.text) as { ciphertext: string };
      const opened = await post('/api/decrypt', JSON.stringify({ ciphertext, associated_data: null, key_id: null }));
      expect(opened.status).toBe(200);
      expect(JSON.parse(opened.text)).toMatchObject({ plaintext });
    });

    it('means "absent": verify with public_key null uses the default signing key', async () => {
      const message = Buffer.from('signed').toString('base64');
      const signed = await post('/api/sign', JSON.stringify({ message, key_id: null }));
      expect(signed.status).toBe(200);
      const { signature, key_id } = JSON.parse(signed.text) as { signature: string; key_id: string };
      const verified = await post('/api/verify', JSON.stringify({ message, signature, public_key: null, key_id: null }));
      expect(verified.status).toBe(200);
      expect(JSON.parse(verified.text)).toEqual({ valid: true, key_id, algorithm: 'Ed25519' });
    });

    it('is not an algorithm: /api/keypair with algorithm null is 422', async () => {
      const res = await post('/api/keypair', JSON.stringify({ algorithm: null }));
      expect(res.status).toBe(422);
      expect(envelopeOf(res)).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'body.algorithm' }] });
    });
  });

  describe('requests Node refuses to parse', () => {
    async function metricCount(status: string): Promise<number> {
      const res = await sendHttp(port, { method: 'GET', path: '/metrics' });
      return sampleValue(parseExposition(res.text), 'mfn_http_requests_total', { method: 'OTHER', route: 'unmatched', endpoint: 'unmatched', status });
    }

    it('a malformed request line gets the 400 envelope, an access record and a metric', async () => {
      const before = await metricCount('400');
      const res = await sendRaw(port, Buffer.from(`BREW /health HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`));
      expect(res.status).toBe(400);
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.connection).toBe('close');
      expect(envelopeOf(res)).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'Malformed HTTP request' });
      expect(accessRecords(res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ status: 400, endpoint: 'unmatched', reason: 'HPE_INVALID_METHOD', message: 'malformed request rejected' }),
      ]);
      expect(await metricCount('400')).toBe(before + 1);
    });

    it.each([
      ['a control byte in a header value', `GET /health HTTP/1.1${CRLF}Host: x${CRLF}X-Request-ID: a\u0001b${CRLF}${CRLF}`, 400],
      ['a header without a colon', `GET /health HTTP/1.1${CRLF}Host: x${CRLF}NoColon${CRLF}${CRLF}`, 400],
      ['conflicting Content-Lengths', `POST /nernst HTTP/1.1${CRLF}Host: x${CRLF}Content-Length: 1${CRLF}Content-Length: 2${CRLF}${CRLF}{}`, 400],
      ['a 20 KB header', `GET /health HTTP/1.1${CRLF}Host: x${CRLF}X-Big: ${'b'.repeat(20_000)}${CRLF}${CRLF}`, 431],
    ])('%s gets the envelope', async (_name, raw, status) => {
      const res = await sendRaw(port, Buffer.from(raw, 'latin1'));
      expect(res.status).toBe(status);
      expect(envelopeOf(res).error_code).toBe('INVALID_REQUEST');
    });

    it('a malformed HEAD request gets the status and headers without a body', async () => {
      const res = await sendRaw(port, Buffer.from(`HEAD /he alth HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`));
      expect(res.status).toBe(400);
      expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
      expect(res.text).toBe('');
    });

    it('CONNECT gets 405 METHOD_NOT_ALLOWED with Allow instead of a dropped connection', async () => {
      const res = await sendRaw(port, Buffer.from(`CONNECT elsewhere.example:443 HTTP/1.1${CRLF}Host: elsewhere.example:443${CRLF}${CRLF}`));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
      expect(envelopeOf(res)).toMatchObject({ error_code: 'METHOD_NOT_ALLOWED', message: 'Method CONNECT is not allowed' });
    });

    it('an unknown Expect value is ignored and the request served, instead of a bare 417', async () => {
      const res = await sendHttp(port, { method: 'POST', path: '/nernst', headers: { 'content-type': 'application/json', expect: 'gzip' }, body: JSON.stringify(NERNST) });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ potential_mV: -89.01066911987907 });
    });

    it('HTTP/1.1 without Host gets the 400 envelope through the pipeline; HTTP/1.0 needs none', async () => {
      const missing = await sendRaw(port, Buffer.from(`GET /health HTTP/1.1${CRLF}Connection: close${CRLF}${CRLF}`));
      expect(missing.status).toBe(400);
      expect(missing.headers['cache-control']).toBe('no-store');
      expect(envelopeOf(missing)).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'Missing Host header' });
      expect(accessRecords(missing.headers['x-request-id'])).toEqual([expect.objectContaining({ status: 400, endpoint: '/health' })]);

      const old = await sendRaw(port, Buffer.from(`GET /health HTTP/1.0${CRLF}${CRLF}`));
      expect(old.status).toBe(200);
    });

    it('broken chunked framing inside a request body answers that request with 400 and its own id', async () => {
      const raw = `POST /nernst HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}X-Request-ID: framing-1${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}{}${CRLF}0${CRLF}${CRLF}`;
      const res = await sendRaw(port, Buffer.from(raw));
      expect(res.status).toBe(400);
      expect(res.headers['x-request-id']).toBe('framing-1');
      expect(envelopeOf(res)).toMatchObject({ error_code: 'INVALID_REQUEST', message: 'Malformed request body framing' });
      expect(accessRecords('framing-1')).toEqual([expect.objectContaining({ status: 400, endpoint: '/nernst' })]);
    });

    it.each([
      ['after a Connection: close request', 'Connection: close'],
      ['behind a kept-alive request', 'Connection: keep-alive'],
    ])('garbage %s does not cost the accepted request its answer', async (_name, connection) => {
      const body = JSON.stringify({ grid_size: 16, steps: 8 });
      const raw = `POST /simulate HTTP/1.1${CRLF}Host: x${CRLF}Content-Type: application/json${CRLF}Content-Length: ${body.length}${CRLF}${connection}${CRLF}${CRLF}${body}GARBAGE /x HTTP/7${CRLF}${CRLF}`;
      const res = await sendRaw(port, Buffer.from(raw));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toHaveProperty('growth_events');
    });
  });
});
