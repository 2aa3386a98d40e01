import { Writable } from 'node:stream';
import pino, { Logger, LoggerOptions } from 'pino';

/** A pino logger whose JSON lines are kept, as written (`lines`) and parsed (`logged`), for assertions. */
export function jsonLogger(options: LoggerOptions = {}): { logger: Logger; logged: Record<string, unknown>[]; lines: string[] } {
  const logged: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const logger = pino(
    options,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString().split('\n')) {
          if (line.trim() === '') continue;
          lines.push(line);
          logged.push(JSON.parse(line) as Record<string, unknown>);
        }
        cb();
      },
    }),
  );
  return { logger, logged, lines };
}
