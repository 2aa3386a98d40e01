import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { AppConfig } from '../../config';
import { REDACTED } from './redact';
import { LineBatchStream } from './line-batch.stream';
import { TextFormatStream } from './text-format.stream';

/** pino label → the level names the spec uses in log records. */
const LEVEL_NAMES: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** The level field of each pino label, built once (pino calls the level formatter on every line). */
const LEVEL_FIELDS: ReadonlyMap<string, { level: string }> = new Map(
  Object.entries(LEVEL_NAMES).map(([label, name]) => [label, Object.freeze({ level: name })]),
);

/** Header and field paths that must never reach a log line, whatever logs them. */
export const REDACT_PATHS = [
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
function isoTimestamp(): () => string {
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

export interface RootLogger {
  logger: Logger;
  /** Flushes buffered output (used right before the process exits). */
  flush(): void;
}

/**
 * Builds the one pino instance of an app. JSON lines in staging/prod, a readable text line in
 * dev (MFN_LOG_FORMAT overrides). Tests pass their own destination to capture output.
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): RootLogger {
  const options: LoggerOptions = {
    level: config.logging.level,
    messageKey: 'message',
    base: { env: config.env },
    timestamp: isoTimestamp(),
    formatters: { level: (label) => LEVEL_FIELDS.get(label) ?? { level: label.toUpperCase() } },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  if (config.logging.format === 'text') {
    const out = destination ?? process.stdout;
    return { logger: pino(options, new TextFormatStream(out)), flush: () => undefined };
  }
  if (destination) return { logger: pino(options, destination), flush: () => undefined };
  // One synchronous write to stdout per event-loop turn (LineBatchStream collects the turn's
  // lines): a quiet service's lines appear at once, a busy one makes few large writes, and the
  // backlog can never outgrow one turn. (An asynchronous destination writes one chunk per
  // completed write, i.e. per turn, while a busy turn logs more than that: under sustained load
  // its queue grew without bound until the heap ran out.) A full stdout pipe slows the service
  // down instead of filling its memory.
  const dest = pino.destination({ dest: 1, sync: true });
  const batch = new LineBatchStream(dest);
  return {
    logger: pino(options, batch),
    flush: () => {
      try {
        batch.flushSync();
      } catch {
        // not ready yet or already closed: nothing to flush
      }
    },
  };
}
