import { Writable } from 'node:stream';
import pino, { Logger } from 'pino';

/** A pino logger whose JSON lines are kept, parsed, for assertions. */
export function jsonLogger(): { logger: Logger; logged: Record<string, unknown>[] } {
  const logged: Record<string, unknown>[] = [];
  const logger = pino(
    {},
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logged.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    }),
  );
  return { logger, logged };
}
