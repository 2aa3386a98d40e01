import http from 'node:http';
import net from 'node:net';

export { freePort } from '../../helpers/service-process';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request on a fresh connection; rejects with the socket error (e.g. ECONNREFUSED). */
export function send(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { Connection: 'close', ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.end(options.body);
  });
}

/**
 * A request whose body is sent in two parts, so it stays in flight as long as the test wants.
 * It announces `Expect: 100-continue`: the server answers 100 once the request has entered the
 * pipeline, which is when `accepted` resolves.
 */
export class SlowRequest {
  readonly accepted: Promise<void>;
  readonly response: Promise<WireResponse>;
  private readonly socket: net.Socket;
  private readonly first: string;
  private readonly rest: string;

  constructor(port: number, method: string, path: string, body: string, splitAt: number) {
    this.first = body.slice(0, splitAt);
    this.rest = body.slice(splitAt);
    this.socket = net.connect({ host: '127.0.0.1', port });
    let onAccepted!: () => void;
    this.accepted = new Promise((resolve) => (onAccepted = resolve));
    this.response = new Promise((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      this.socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const parsed = parseResponse(buffer);
          if (!parsed) return;
          buffer = buffer.subarray(parsed.consumed);
          if (parsed.response.status === 100) {
            onAccepted();
            continue;
          }
          resolve(parsed.response);
          this.socket.end();
          return;
        }
      });
      this.socket.on('error', reject);
      this.socket.on('close', () => reject(new Error('connection closed before a final response')));
    });
    this.response.catch(() => undefined);
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`;
    this.socket.write(head);
  }

  /** Sends the first part of the body (after the server accepted the request). */
  sendFirstPart(): void {
    this.socket.write(this.first);
  }

  /** Sends the remainder; the server can now answer. */
  finish(): void {
    this.socket.write(this.rest);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Parses one HTTP/1.1 response with a Content-Length body from the front of `buffer`. */
function parseResponse(buffer: Buffer): { response: WireResponse; consumed: number } | undefined {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine, ...headerLines] = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (status >= 100 && status < 200) return { response: { status, headers, body: '' }, consumed: headEnd + 4 };
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < headEnd + 4 + length) return undefined;
  const body = buffer.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
  return { response: { status, headers, body }, consumed: headEnd + 4 + length };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
