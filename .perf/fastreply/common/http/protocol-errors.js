"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.answerProtocolErrors = answerProtocolErrors;
exports.requireHostHeader = requireHostHeader;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const node_http_1 = require("node:http");
const errors_1 = require("../errors");
const redact_1 = require("../logging/redact");
const error_responder_1 = require("./error-responder");
const route_table_1 = require("./route-table");
/** 431 (RFC 6585); Nest's HttpStatus does not list it. */
const HEADER_FIELDS_TOO_LARGE = 431;
/**
 * Owns the answers to requests that never reach Express: bytes Node's HTTP parser refuses
 * (malformed request line or headers, broken framing, oversized headers), CONNECT, and Expect
 * values other than 100-continue. Node would answer those with a bare status line, or close the
 * connection; here they get the error envelope with a fresh request id, an access record and a
 * metric like every other answer.
 */
function answerProtocolErrors(server, options) {
    const log = options.logger.child({ logger: 'mfn.access' });
    const reject = (socket, status, code, message, reason, extra = {}) => {
        const requestId = (0, node_crypto_1.randomUUID)();
        socket.end(rawErrorResponse(status, code, message, requestId, extra));
        options.metrics?.httpRequestStarted('OTHER', route_table_1.UNMATCHED_ROUTE_LABEL)(status, 0);
        const clientIp = socket.remoteAddress;
        log.info({ action: 'api_request', request_id: requestId, endpoint: route_table_1.UNMATCHED_ROUTE_LABEL, status, client_ip: (0, redact_1.redactIp)(clientIp), reason }, 'malformed request rejected');
    };
    server.on('clientError', (err, socket) => {
        // The client went away (reset, or closed its side mid-request): nobody is left to answer.
        if (err.code === 'ECONNRESET' || err.code === 'HPE_INVALID_EOF_STATE') {
            socket.destroy();
            return;
        }
        const inFlight = socket._httpMessage;
        if (inFlight) {
            settleInFlight(inFlight, socket, options.logger);
            return;
        }
        if (!socket.writable) {
            socket.destroy();
            return;
        }
        const status = statusOfParserError(err.code);
        const code = status === common_1.HttpStatus.PAYLOAD_TOO_LARGE ? errors_1.ErrorCode.PAYLOAD_TOO_LARGE : errors_1.ErrorCode.INVALID_REQUEST;
        const headOnly = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
        reject(socket, status, code, messageOf(status), err.code ?? 'parse_error', { headOnly });
    });
    // Not a proxy: a CONNECT tunnel is never opened (without a listener Node drops the connection).
    server.on('connect', (_req, socket) => {
        reject(socket, common_1.HttpStatus.METHOD_NOT_ALLOWED, errors_1.ErrorCode.METHOD_NOT_ALLOWED, 'Method CONNECT is not allowed', 'connect', {
            headers: { Allow: 'GET, HEAD, OPTIONS, POST' },
        });
    });
    // RFC 9110 lets a server ignore an expectation it does not know; the request is served normally
    // instead of Node's bare 417.
    server.on('checkExpectation', (req, res) => {
        server.emit('request', req, res);
    });
    // The Host check moves into the pipeline (requireHostHeader below) so its 400 carries the envelope.
    server.requireHostHeader = false;
}
/**
 * A parser error on a connection whose request is still being answered. When that request was
 * complete (the bad bytes are a next request, or trail a `Connection: close` request), it is
 * still answered; its own malformed body framing gets its own 400 envelope. The connection
 * closes afterwards either way: the parser cannot continue on it.
 */
function settleInFlight(res, socket, logger) {
    const closeAfterwards = () => {
        if (res.writableFinished || res.destroyed)
            socket.destroy();
        else
            res.once('close', () => socket.destroy());
    };
    const req = res.req;
    if (req === undefined || req.complete || res.headersSent)
        return closeAfterwards();
    res.setHeader('Connection', 'close');
    (0, error_responder_1.sendErrorResponse)(errors_1.AppException.badRequest('Malformed request body framing'), req, res, logger, false);
    closeAfterwards();
}
/** HTTP/1.1 requests must name a Host (RFC 9112 §3.2); Node's own check answers without an envelope. */
function requireHostHeader(req, _res, next) {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
        return next(errors_1.AppException.badRequest('Missing Host header'));
    }
    next();
}
/** Node's mapping of parser errors to statuses (its default clientError answer). */
function statusOfParserError(code) {
    switch (code) {
        case 'HPE_HEADER_OVERFLOW':
            return HEADER_FIELDS_TOO_LARGE;
        case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
            return common_1.HttpStatus.PAYLOAD_TOO_LARGE;
        case 'ERR_HTTP_REQUEST_TIMEOUT':
            return common_1.HttpStatus.REQUEST_TIMEOUT;
        default:
            return common_1.HttpStatus.BAD_REQUEST;
    }
}
function messageOf(status) {
    switch (status) {
        case HEADER_FIELDS_TOO_LARGE:
            return 'Request header fields too large';
        case common_1.HttpStatus.PAYLOAD_TOO_LARGE:
            return 'Chunk extensions too large';
        case common_1.HttpStatus.REQUEST_TIMEOUT:
            return 'Request timeout';
        default:
            return 'Malformed HTTP request';
    }
}
function rawErrorResponse(status, code, message, requestId, options) {
    const headers = options.headers ?? {};
    const body = JSON.stringify((0, errors_1.buildEnvelope)({ status, code, message, headers, unexpected: false }, requestId));
    const lines = [
        `HTTP/1.1 ${status} ${node_http_1.STATUS_CODES[status] ?? 'Error'}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-ID: ${requestId}`,
        'Cache-Control: no-store',
        'X-Content-Type-Options: nosniff',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        'Connection: close',
    ];
    return `${lines.join('\r\n')}\r\n\r\n${options.headOnly ? '' : body}`;
}
//# sourceMappingURL=protocol-errors.js.map