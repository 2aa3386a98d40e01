import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { BodyBudget } from '../src/common/body/body-budget';
import { POST_ROUTES as KNOWN_POST_ROUTES, UNKNOWN_POST_ROUTE } from './helpers/post-routes';
import { listenOnce } from './helpers/raw-http';
import { TEST_MASTER_KEY, TestApp, createTestApp } from './helpers/test-app';
import { until } from './helpers/until';
import { openRequest, sendHttp, type WireOutcome } from './resilience/support/wire-client';

/**
 * Headers first: address lists, rate limit, API key and roles are decided from the request line
 * and headers, and only an allowed request has its body read, inflated and parsed — within the
 * route's byte limit, the inflation-ratio cap, the route's JSON shape limits and the in-flight
 * body budget.
 */
jest.setTimeout(60_000);

const KEY = randomBytes(24).toString('hex');
const NERNST = { concentration_out_molar: 0.005, concentration_in_molar: 0.14 };
const POST_ROUTES = [...KNOWN_POST_ROUTES, UNKNOWN_POST_ROUTE];

function envelope(res: WireOutcome): Record<string, unknown> {
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body.request_id).toBe(res.headers['x-request-id']);
  return body;
}

/** Writes a request head on a raw connection and collects what comes back. */
function rawConnection(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

/** Writes `chunk` again and again until the server closes the connection or `max` bytes went; returns the bytes sent. */
async function uploadUntilClosed(c: ReturnType<typeof rawConnection>, chunk: Buffer, max: number): Promise<number> {
  let sent = 0;
  let closed = false;
  void c.closed.then(() => (closed = true));
  while (!closed && sent < max) {
    await new Promise<void>((resolve) => {
      if (c.socket.write(chunk)) return setImmediate(resolve);
      c.socket.once('drain', resolve);
      void c.closed.then(resolve);
    });
    sent += chunk.length;
  }
  await c.closed;
  return sent;
}

describe('the body is not touched before the request is allowed', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    // Many refusals from one address on purpose: the lockout and the rate limiter would answer them 429.
    t = await createTestApp({ MFN_ENV: 'prod', MFN_MASTER_KEY: TEST_MASTER_KEY, MFN_API_KEY: KEY, MFN_COMPUTE_WORKERS: '1', MFN_AUTH_LOCKOUT_ENABLED: 'false', MFN_RATE_LIMIT_ENABLED: 'false' });
    port = await listenOnce(t.server);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 to an announced 9 MiB upload on every route while its body has not been sent', async () => {
    for (const path of POST_ROUTES) {
      const upload = openRequest(port, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(9 * 1024 * 1024, 0x20),
        sendBytes: 16,
      });
      // Only 16 bytes of the body are ever sent: an answer proves nothing waited for the rest.
      await expect(upload.done).resolves.toBe(401);
      upload.hangUp();
    }
  });

  it('gives every route the same 401 whatever the body says (no body limit or media type leaks without a key)', async () => {
    const variants: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      { 'content-type': 'application/json' },
    ];
    const hostile = gzipSync(Buffer.from(`[${'{},'.repeat(200_000)}{}]`));
    const shapes = new Set<string>();
    for (const path of POST_ROUTES) {
      for (const headers of variants) {
        const res = await sendHttp(port, { method: 'POST', path, headers, body: hostile });
        expect(res.status).toBe(401);
        const body = envelope(res);
        shapes.add(JSON.stringify({ code: body.error_code, message: body.message, auth: res.headers['www-authenticate'] }));
      }
    }
    expect([...shapes]).toEqual([
      JSON.stringify({ code: 'AUTHENTICATION_REQUIRED', message: 'Invalid or missing API key', auth: 'API-Key header="X-API-Key"' }),
    ]);
  });

  it('does not answer 100 Continue to a request it refuses, and does to one it allows', async () => {
    const body = JSON.stringify(NERNST);
    const head = (key?: string) =>
      [
        'POST /nernst HTTP/1.1',
        'Host: localhost',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Expect: 100-continue',
        ...(key ? [`X-API-Key: ${key}`] : []),
        '',
        '',
      ].join('\r\n');

    const refused = rawConnection(port);
    refused.socket.write(head());
    await until('the refusal', () => refused.received().includes('\r\n\r\n'));
    expect(refused.received().startsWith('HTTP/1.1 401 ')).toBe(true);
    // The body never comes: the server stops waiting for it and closes the connection.
    await refused.closed;

    const allowed = rawConnection(port);
    allowed.socket.write(head(KEY));
    await until('100 Continue', () => allowed.received().includes('\r\n\r\n'));
    expect(allowed.received().startsWith('HTTP/1.1 100 Continue\r\n')).toBe(true);
    allowed.socket.write(body);
    await until('the answer', () => allowed.received().includes('potential_mV'));
    expect(allowed.received()).toMatch(/HTTP\/1\.1 200 OK/);
    allowed.socket.destroy();
  });

  it('closes the connection of a refused client that keeps uploading, after its answer', async () => {
    const c = rawConnection(port);
    c.socket.write(['POST /nernst HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', `Content-Length: ${64 * 1024 * 1024}`, '', ''].join('\r\n'));
    const sent = await uploadUntilClosed(c, Buffer.alloc(64 * 1024, 0x20), 64 * 1024 * 1024);
    expect(c.received().startsWith('HTTP/1.1 401 ')).toBe(true);
    // Far less than the announced 64 MiB went through before the server hung up.
    expect(sent).toBeLessThan(48 * 1024 * 1024);
  });

  it('does not read the body of a request whose method takes none (a CORS preflight, a GET)', async () => {
    for (const head of [
      ['OPTIONS /nernst HTTP/1.1', 'Origin: https://app.example.com', 'Access-Control-Request-Method: POST'],
      ['GET /health HTTP/1.1'],
    ]) {
      const c = rawConnection(port);
      c.socket.write([...head, 'Host: localhost', 'Transfer-Encoding: chunked', '', ''].join('\r\n'));
      const chunk = Buffer.concat([Buffer.from('ffff\r\n'), Buffer.alloc(0xffff, 0x20), Buffer.from('\r\n')]);
      const sent = await uploadUntilClosed(c, chunk, 4 * 1024 * 1024 * 1024);
      expect(c.received()).toMatch(/^HTTP\/1\.1 20[04] /);
      // Discarded for a quarter of a second after the answer, then cut off.
      expect(sent).toBeLessThan(4 * 1024 * 1024 * 1024);
    }
  });

  it('answers an unknown route 404 without reading its body', async () => {
    const upload = openRequest(port, {
      method: 'POST',
      path: '/no/such/route',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: Buffer.alloc(5 * 1024 * 1024, 0x20),
      sendBytes: 16,
    });
    await expect(upload.done).resolves.toBe(404);
    upload.hangUp();
  });

  it('keeps the connection of a refused request whose small body has fully arrived', async () => {
    const agent = new Agent({ keepAlive: true });
    const headers = { 'content-type': 'application/json' };
    const res = await sendHttp(port, { method: 'POST', path: '/nernst', headers, body: JSON.stringify(NERNST) }, agent);
    expect(res.status).toBe(401);
    expect(res.headers.connection).toBe('keep-alive');
    agent.destroy();
  });
});

describe('bounded parsing for an allowed request', () => {
  let t: TestApp;
  let port: number;
  const authed = { 'content-type': 'application/json', 'x-api-key': KEY };

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEY: KEY,
      MFN_COMPUTE_WORKERS: '1',
      MFN_AGGREGATE_MAX_BYTES: String(2 * 1024 * 1024),
    });
    port = await listenOnce(t.server);
  });

  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    sendHttp(port, { method: 'POST', path, headers: { ...authed, ...headers }, body });

  it('inflates gzip and deflate bodies', async () => {
    for (const [coding, pack] of [['gzip', gzipSync], ['deflate', deflateSync]] as const) {
      const res = await post('/nernst', pack(Buffer.from(JSON.stringify(NERNST))), { 'content-encoding': coding });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).potential_mV).toBeCloseTo(-89.0107, 3);
    }
  });

  it('refuses a charset other than UTF-8 with 415 (the shape limits read UTF-8 bytes)', async () => {
    const body = Buffer.from(`{"h":"\u4122","x":[${'{},'.repeat(1000)}{}]}`, 'utf16le');
    for (const charset of ['utf-16le', 'UTF-16', 'utf-7', 'latin1']) {
      const res = await post('/nernst', body, { 'content-type': `application/json; charset=${charset}` });
      expect(res.status).toBe(415);
      expect(envelope(res).message).toBe('Unsupported charset: send UTF-8 JSON');
    }
    for (const contentType of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf-8']) {
      expect((await post('/nernst', JSON.stringify(NERNST), { 'content-type': contentType })).status).toBe(200);
    }
  });

  it('refuses other content codings with 415, and a compressed body without Content-Length with 411', async () => {
    const br = await post('/nernst', JSON.stringify(NERNST), { 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect(envelope(br).error_code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const twice = await post('/nernst', gzipSync(gzipSync(JSON.stringify(NERNST))), { 'content-encoding': 'gzip, gzip' });
    expect(twice.status).toBe(415);

    const chunked = await new Promise<WireOutcome>((resolve) => {
      const c = rawConnection(port);
      const packed = gzipSync(JSON.stringify(NERNST));
      c.socket.write(
        [
          'POST /nernst HTTP/1.1',
          'Host: localhost',
          'Content-Type: application/json',
          'Content-Encoding: gzip',
          'Transfer-Encoding: chunked',
          `X-API-Key: ${KEY}`,
          '',
          `${packed.length.toString(16)}`,
          '',
        ].join('\r\n'),
      );
      c.socket.write(Buffer.concat([packed, Buffer.from('\r\n0\r\n\r\n')]));
      // The service closes the connection after its answer; should it not, the test hangs up.
      const hangUp = setTimeout(() => c.socket.end(), 5_000);
      void c.closed.then(() => {
        clearTimeout(hangUp);
        const text = c.received();
        const split = text.indexOf('\r\n\r\n');
        resolve({ status: Number(text.slice(9, 12)), headers: {}, text: text.slice(split + 4).replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, '') });
      });
    });
    expect(chunked.status).toBe(411);
  });

  it('caps the inflation ratio and applies the byte limit to the inflated size', async () => {
    // 1.5 MiB of spaces compresses about a thousandfold: far past the 32x ratio.
    const bomb = gzipSync(Buffer.from(`{"concentration_out_molar":0.005,${' '.repeat(1_500_000)}"concentration_in_molar":0.14}`));
    const ratio = await post('/nernst', bomb, { 'content-encoding': 'gzip' });
    expect(ratio.status).toBe(413);
    expect(envelope(ratio).message).toMatch(/inflates to more than 32 times its compressed size/);

    // Random digits barely compress, so the ratio holds and the inflated byte limit decides.
    const digits = randomBytes(1_200_000).toString('hex').replace(/[a-f]/g, '7');
    const big = gzipSync(Buffer.from(`{"gradients":[[${digits.match(/.{1,12}/g)!.join(',')}]]}`));
    const overLimit = await post('/federated/aggregate', big, { 'content-encoding': 'gzip' });
    expect(overLimit.status).toBe(413);
    expect(envelope(overLimit).message).toBe(`Request body exceeds the limit of ${2 * 1024 * 1024} bytes`);
  });

  it('refuses bodies over the shape limits of the route before parsing them', async () => {
    const objects = await post('/federated/aggregate', `{"gradients":[${'{},'.repeat(300_000)}{}]}`);
    expect(objects.status).toBe(413);
    expect(envelope(objects).message).toMatch(/more than \d+ JSON objects and arrays/);

    const fields = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, i]));
    const values = await post('/nernst', JSON.stringify({ ...NERNST, ...fields }));
    expect(values.status).toBe(413);
    expect(envelope(values).message).toBe('Request body holds more than 256 JSON values');

    const text = await post('/simulate', JSON.stringify({ note: 'x'.repeat(5000) }));
    expect(text.status).toBe(413);
    expect(envelope(text).message).toBe('Request body holds a string longer than 1024 bytes');

    const deep = await post('/nernst', `${'['.repeat(40)}${']'.repeat(40)}`);
    expect(deep.status).toBe(400);
    expect(envelope(deep).message).toBe('JSON body nested deeper than 32 levels');
  });

  it('still accepts what each route really needs', async () => {
    const gradients = Array.from({ length: 50 }, (_, i) => Array.from({ length: 100 }, (_, j) => ((i * 7 + j) % 13) / 13));
    const aggregate = await post('/federated/aggregate', JSON.stringify({ gradients }));
    expect(aggregate.status).toBe(200);
    const plaintext = randomBytes(600_000).toString('base64');
    const encrypt = await post('/api/encrypt', JSON.stringify({ plaintext }));
    expect(encrypt.status).toBe(200);
  });
});

describe('the in-flight body budget and the body deadline', () => {
  let t: TestApp;
  let port: number;
  const OTHER = randomBytes(24).toString('hex');

  beforeAll(async () => {
    t = await createTestApp({
      MFN_ENV: 'prod',
      MFN_MASTER_KEY: TEST_MASTER_KEY,
      MFN_API_KEYS: `first:${KEY},second:${OTHER}`,
      MFN_BODY_INFLIGHT_BYTES: '4096',
      MFN_BODY_TIMEOUT_MS: '1000',
    });
    port = await listenOnce(t.server);
  });

  afterAll(async () => {
    await t?.close();
  });

  const padded = (size: number) => {
    const base = JSON.stringify(NERNST);
    return `${base.slice(0, -1)}${' '.repeat(size - base.length)}}`;
  };
  const headersFor = (key: string) => ({ 'content-type': 'application/json', 'x-api-key': key });

  it('refuses a second body of the same caller past its share (429) and another caller past the budget (503), then admits again', async () => {
    const budget = t.app.get(BodyBudget);
    const first = openRequest(port, { method: 'POST', path: '/nernst', headers: headersFor(KEY), body: padded(3000), sendBytes: 100 });
    // The first upload is admitted and waits for the rest of its body.
    await until('the first upload to hold its reservation', () => budget.inUse > 0);
    const same = await sendHttp(port, { method: 'POST', path: '/nernst', headers: headersFor(KEY), body: padded(3000) });
    expect(same.status).toBe(429);
    expect(envelope(same).error_code).toBe('RATE_LIMIT_EXCEEDED');
    expect(same.headers['retry-after']).toBe('1');
    const other = await sendHttp(port, { method: 'POST', path: '/nernst', headers: headersFor(OTHER), body: padded(3000) });
    expect(other.status).toBe(503);
    expect(envelope(other).error_code).toBe('SERVICE_UNAVAILABLE');
    expect(other.headers['retry-after']).toBe('1');
    first.hangUp();
    await expect(first.done).resolves.toBe('aborted');
    // Its reservation goes back once the service has seen the connection close.
    await until('the reservation of the abandoned upload to be given back', () => budget.inUse === 0);
    const again = await sendHttp(port, { method: 'POST', path: '/nernst', headers: headersFor(OTHER), body: padded(3000) });
    expect(again.status).toBe(200);
  });

  it('answers 408 to a body that does not arrive in time, and frees its reservation', async () => {
    const slow = openRequest(port, { method: 'POST', path: '/nernst', headers: headersFor(KEY), body: padded(3000), sendBytes: 100 });
    await expect(slow.done).resolves.toBe(408);
    const next = await sendHttp(port, { method: 'POST', path: '/nernst', headers: headersFor(OTHER), body: padded(3000) });
    expect(next.status).toBe(200);
  });
});
