import type { Logger } from 'pino';

/** One warning per component per this period at most, however often the connection retries. */
const QUIET_MS = 60_000;

/**
 * Gives a BullMQ emitter (Queue, QueueEvents, Worker) an 'error' listener. Without one, BullMQ
 * prints every connection error (each reconnect attempt during a Redis outage) with its stack to
 * stderr. Here it is one structured warning per minute with the error's code only: no stack, no
 * address, no internal paths. Readiness (`jobs_queue`) reports the outage itself.
 */
export function quietConnectionErrors(emitter: NodeJS.EventEmitter, log: Logger, component: string): void {
  let lastAt = Number.NEGATIVE_INFINITY;
  emitter.on('error', (err: unknown) => {
    const now = Date.now();
    if (now - lastAt < QUIET_MS) return;
    lastAt = now;
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'unknown';
    log.warn({ component, code }, 'job queue connection error (repeats are not logged for a minute)');
  });
}
