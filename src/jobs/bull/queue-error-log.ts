import type { Logger } from 'pino';

/** At most one line per component this often while its Redis connection keeps failing. */
const LOG_EVERY_MS = 10_000;

/**
 * The `error` listener of a BullMQ object (queue, worker, event stream). BullMQ emits `error`
 * for each failed connection attempt or command outside a job, and an EventEmitter without an
 * `error` listener throws it: the process would end at the first Redis outage. The errors are
 * logged, one line per component per LOG_EVERY_MS with the number left out and the error's code
 * only (no stack, address or path), so an outage cannot flood the log; the `jobs_queue`
 * readiness check and the requests that meet the outage report it on their own.
 */
export function queueErrorLogger(log: Logger, component: 'queue' | 'worker' | 'events', now: () => number = Date.now): (err: unknown) => void {
  let lastAt = -Infinity;
  let unlogged = 0;
  return (err) => {
    const at = now();
    if (at - lastAt < LOG_EVERY_MS) {
      unlogged++;
      return;
    }
    log.warn({ component, code: errorCode(err), errors_not_logged: unlogged }, 'job queue connection error (retrying)');
    lastAt = at;
    unlogged = 0;
  };
}

/** `ECONNREFUSED` and the like, else the error's class name. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  return err instanceof Error ? err.name.slice(0, 40) : 'unknown';
}
