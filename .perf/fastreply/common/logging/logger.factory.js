"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.REDACT_PATHS = void 0;
exports.createRootLogger = createRootLogger;
const pino_1 = __importDefault(require("pino"));
const redact_1 = require("./redact");
const line_batch_stream_1 = require("./line-batch.stream");
const text_format_stream_1 = require("./text-format.stream");
/** pino label → the level names the spec uses in log records. */
const LEVEL_NAMES = {
    trace: 'DEBUG',
    debug: 'DEBUG',
    info: 'INFO',
    warn: 'WARNING',
    error: 'ERROR',
    fatal: 'CRITICAL',
};
/** Header and field paths that must never reach a log line, whatever logs them. */
exports.REDACT_PATHS = [
    'req.headers["x-api-key"]',
    'req.headers.authorization',
    'req.headers.cookie',
    'headers["x-api-key"]',
    'headers.authorization',
    'headers.cookie',
    'api_key',
    'password',
    'secret',
    'token',
    'private_key',
    'plaintext',
    '*.api_key',
    '*.password',
    '*.secret',
    '*.token',
    '*.private_key',
    '*.plaintext',
];
/** pino timestamp function: the ISO string is formatted once per millisecond, not once per line. */
function isoTimestamp() {
    let lastMs = -1;
    let text = '';
    return () => {
        const now = Date.now();
        if (now !== lastMs) {
            lastMs = now;
            text = `,"timestamp":"${new Date(now).toISOString()}"`;
        }
        return text;
    };
}
/**
 * Builds the one pino instance of an app. JSON lines in staging/prod, a readable text line in
 * dev (MFN_LOG_FORMAT overrides). Tests pass their own destination to capture output.
 */
function createRootLogger(config, destination) {
    const options = {
        level: config.logging.level,
        messageKey: 'message',
        base: { env: config.env },
        timestamp: isoTimestamp(),
        formatters: { level: (label) => ({ level: LEVEL_NAMES[label] ?? label.toUpperCase() }) },
        redact: { paths: exports.REDACT_PATHS, censor: redact_1.REDACTED },
    };
    if (config.logging.format === 'text') {
        const out = destination ?? process.stdout;
        return { logger: (0, pino_1.default)(options, new text_format_stream_1.TextFormatStream(out)), flush: () => undefined };
    }
    if (destination)
        return { logger: (0, pino_1.default)(options, destination), flush: () => undefined };
    // One synchronous write to stdout per event-loop turn (LineBatchStream collects the turn's
    // lines): a quiet service's lines appear at once, a busy one makes few large writes, and the
    // backlog can never outgrow one turn. (An asynchronous destination writes one chunk per
    // completed write, i.e. per turn, while a busy turn logs more than that: under sustained load
    // its queue grew without bound until the heap ran out.) A full stdout pipe slows the service
    // down instead of filling its memory.
    const dest = pino_1.default.destination({ dest: 1, sync: true });
    const batch = new line_batch_stream_1.LineBatchStream(dest);
    return {
        logger: (0, pino_1.default)(options, batch),
        flush: () => {
            try {
                batch.flushSync();
            }
            catch {
                // not ready yet or already closed: nothing to flush
            }
        },
    };
}
//# sourceMappingURL=logger.factory.js.map