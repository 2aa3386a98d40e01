import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** What a client received: a response, or the transport error that took its place. */
export interface WireOutcome {
  status?: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Set when no response arrived (refused, reset, timed out). */
  error?: string;
}

export interface WireRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Give up (and report `timeout`) after this long. */
  timeoutMs?: number;
}

/**
 * One request through Node's HTTP client on `agent` (keep-alive pools exercise connection reuse),
 * with the path sent exactly as given and any method token the client accepts.
 */
export function sendHttp(port: number, request: WireRequest, agent?: Agent): Promise<WireOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: WireOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const headers = { ...(request.headers ?? {}) };
    // Without a length Node frames bodies of GET, HEAD, DELETE and OPTIONS not at all: the bytes
    // would be read as the next request on the connection.
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    let answered: { status?: number; headers: IncomingHttpHeaders; chunks: Buffer[] } | undefined;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        answered = { status: res.statusCode, headers: res.headers, chunks };
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => settle({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err: NodeJS.ErrnoException) => settle({ headers: res.headers, text: '', error: err.code ?? err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A server that answers before reading the whole body may close the connection while the
      // upload is still being written: the answer that arrived first still counts.
      if (answered) {
        const { status, headers: got, chunks } = answered;
        return setImmediate(() => settle({ status, headers: got, text: Buffer.concat(chunks).toString('utf8'), error: err.code ?? err.message }));
      }
      settle({ headers: {}, text: '', error: err.code ?? err.message });
    });
    req.setTimeout(request.timeoutMs ?? 30_000, () => {
      req.destroy();
      settle({ headers: {}, text: '', error: 'timeout' });
    });
    req.end(request.body);
  });
}

/**
 * Writes exact bytes on a fresh connection (requests Node's client refuses to produce) and reads
 * until the server closes it; the bytes carry `Connection: close` or are malformed, so it does.
 * The socket is not half-closed: the server must be allowed to finish its answer.
 */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 30_000): Promise<WireOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = 'timeout';
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (failure ??= err.code ?? err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      if (raw.length === 0) return resolve({ headers: {}, text: '', error: failure ?? 'closed without a response' });
      resolve(parseRawResponse(raw));
    });
  });
}

/** The first response in `raw` (status line, headers, Content-Length or chunked body). */
export function parseRawResponse(raw: Buffer): WireOutcome {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd === -1) return { headers: {}, text: raw.toString('latin1'), error: 'incomplete response head' };
  const [statusLine, ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(headEnd + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number.isInteger(status) ? status : undefined, headers, text: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol === -1) break;
    const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(rest.subarray(eol + 2, eol + 2 + size));
    rest = rest.subarray(eol + 2 + size + 2);
  }
  return Buffer.concat(parts);
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      // eslint-disable-next-line security/detect-object-injection -- integer index: one result per item, in order
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** A request the test can abandon mid-flight, like a client that hangs up. */
export interface OpenRequest {
  /** The status, or `aborted` once the test hung up first. */
  done: Promise<number | 'aborted'>;
  hangUp(): void;
}

/**
 * Sends `head` and then `body` (or only its first `sendBytes` bytes, keeping the request open
 * mid-upload) on its own connection.
 */
export function openRequest(port: number, request: WireRequest & { sendBytes?: number }): OpenRequest {
  const body = Buffer.from(request.body ?? '');
  const headers = { ...(request.headers ?? {}), 'content-length': String(body.length) };
  const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: false });
  const done = new Promise<number | 'aborted'>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('aborted'));
    });
    req.on('error', () => resolve('aborted'));
  });
  if (request.sendBytes === undefined) req.end(body);
  else req.write(body.subarray(0, request.sendBytes));
  return { done, hangUp: () => req.destroy() };
}
