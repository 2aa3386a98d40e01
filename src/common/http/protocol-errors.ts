import { HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, RequestListener, STATUS_CODES, Server, ServerResponse, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { MetricsService } from '../../metrics/metrics.service';
import { AppException, ErrorCode, buildEnvelope } from '../errors';
import { redactIp } from '../logging/redact';
import { JSON_CONTENT_TYPE, sendErrorResponse } from './error-responder';
import { UNMATCHED_ROUTE_LABEL } from './route-table';

/** 431 (RFC 6585); Nest's HttpStatus does not list it. */
const HEADER_FIELDS_TOO_LARGE = 431;

export interface ProtocolErrorOptions {
  logger: Logger;
  /** Counts the answers in the HTTP metrics (omit when recording is off). */
  metrics?: MetricsService;
  /**
   * Which requests with `Connection: Upgrade` are upgrades (the WebSocket streams); the others
   * are plain requests for Express. Without it none is: Node would hand every such request to
   * the `upgrade` listeners, which drop what they do not serve.
   */
  shouldUpgrade?: (req: IncomingMessage) => boolean;
}

/**
 * The service's HTTP server. Nest's Express adapter creates its server without options, so the
 * server is created here, around the same Express app: Node's own Host check is off
 * (`requireHostHeader: false`; the Host check middleware (common/middleware/host-header.middleware.ts) answers in the pipeline instead, with the
 * envelope), and the protocol errors are answered by answerProtocolErrors.
 */
export function createServiceServer(listener: RequestListener, options: ProtocolErrorOptions): Server {
  const server = createServer({ requireHostHeader: false, shouldUpgradeCallback: options.shouldUpgrade ?? (() => false) }, listener);
  answerProtocolErrors(server, options);
  return server;
}

/**
 * Owns the answers to requests that never reach Express: bytes Node's HTTP parser refuses
 * (malformed request line or headers, broken framing, oversized headers), CONNECT, and Expect
 * values other than 100-continue. Node would answer those with a bare status line, or close the
 * connection; here they get the error envelope with a fresh request id, an access record and a
 * metric like every other answer.
 */
export function answerProtocolErrors(server: Server, options: ProtocolErrorOptions): void {
  const log = options.logger.child({ logger: 'mfn.access' });
  const reject = (socket: Duplex, status: number, code: ErrorCode, message: string, reason: string, extra: RejectOptions = {}) => {
    const requestId = randomUUID();
    socket.end(rawErrorResponse(status, code, message, requestId, extra));
    options.metrics?.httpRequestStarted('OTHER', UNMATCHED_ROUTE_LABEL)(status, 0);
    const clientIp = (socket as Duplex & { remoteAddress?: string }).remoteAddress;
    log.info(
      { action: 'api_request', request_id: requestId, endpoint: UNMATCHED_ROUTE_LABEL, status, client_ip: redactIp(clientIp), reason },
      'malformed request rejected',
    );
  };

  // The last request each connection carried: a parser error on a connection whose answer is
  // still being written concerns that request (Node keeps no public link from a socket to it).
  // Responses on one connection finish in order, so once the last one has, all have.
  const lastResponse = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    lastResponse.set(req.socket, res);
    // Held only while in flight, so a kept-alive connection does not keep its last request (and
    // whatever of its body was buffered) reachable.
    res.once('finish', () => {
      if (lastResponse.get(req.socket) === res) lastResponse.delete(req.socket);
    });
  });

  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // The client went away (reset, or closed its side mid-request): nobody is left to answer.
    if (err.code === 'ECONNRESET' || err.code === 'HPE_INVALID_EOF_STATE') {
      socket.destroy();
      return;
    }
    const inFlight = lastResponse.get(socket);
    if (inFlight !== undefined) {
      settleInFlight(inFlight, socket, options.logger);
      return;
    }
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = statusOfParserError(err.code);
    const code = status === HttpStatus.PAYLOAD_TOO_LARGE ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INVALID_REQUEST;
    const headOnly = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    reject(socket, status, code, messageOf(status), err.code ?? 'parse_error', { headOnly });
  });

  // Not a proxy: a CONNECT tunnel is never opened (without a listener Node drops the connection).
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    reject(socket, HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED, 'Method CONNECT is not allowed', 'connect', {
      headers: { Allow: 'GET, HEAD, OPTIONS, POST' },
    });
  });

  // RFC 9110 lets a server ignore an expectation it does not know; the request is served normally
  // instead of Node's bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    server.emit('request', req, res);
  });

  // `Expect: 100-continue` is not answered on sight: the body guard sends 100 Continue once the
  // request is allowed to upload, and a refused request is answered without inviting its body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    server.emit('request', req, res);
  });
}

/**
 * A parser error on a connection whose request is still being answered. When that request was
 * complete (the bad bytes are a next request, or trail a `Connection: close` request), it is
 * still answered; its own malformed body framing gets its own 400 envelope. The connection
 * closes afterwards either way: the parser cannot continue on it.
 */
function settleInFlight(res: ServerResponse, socket: Duplex, logger: Logger): void {
  const closeAfterwards = () => {
    if (res.writableFinished || res.destroyed) socket.destroy();
    else res.once('close', () => socket.destroy());
  };
  const req = res.req as Request | undefined;
  if (req === undefined || req.complete || res.headersSent) return closeAfterwards();
  res.setHeader('Connection', 'close');
  sendErrorResponse(AppException.badRequest('Malformed request body framing'), req, res as Response, logger, false);
  closeAfterwards();
}

/** Node's mapping of parser errors to statuses (its default clientError answer). */
function statusOfParserError(code: string | undefined): number {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return HEADER_FIELDS_TOO_LARGE;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return HttpStatus.REQUEST_TIMEOUT;
    default:
      return HttpStatus.BAD_REQUEST;
  }
}

function messageOf(status: number): string {
  switch (status) {
    case HEADER_FIELDS_TOO_LARGE:
      return 'Request header fields too large';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'Chunk extensions too large';
    case HttpStatus.REQUEST_TIMEOUT:
      return 'Request timeout';
    default:
      return 'Malformed HTTP request';
  }
}

interface RejectOptions {
  headers?: Record<string, string>;
  /** The request was a HEAD: the answer has no body. */
  headOnly?: boolean;
}

function rawErrorResponse(status: number, code: ErrorCode, message: string, requestId: string, options: RejectOptions): string {
  const headers = options.headers ?? {};
  const body = JSON.stringify(buildEnvelope({ status, code, message, headers, unexpected: false }, requestId));
  const lines = [
    // eslint-disable-next-line security/detect-object-injection -- numeric status code looked up in node:http's STATUS_CODES table
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${JSON_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${options.headOnly ? '' : body}`;
}
