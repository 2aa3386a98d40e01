import type { Logger } from 'pino';
import { describeError } from '../../common';

/** At most one line per component this often while its Redis connection keeps failing. */
const LOG_EVERY_MS = 10_000;

/**
 * The `error` listener of a BullMQ object (queue, worker, event stream). BullMQ emits `error`
 * for each failed connection attempt or command outside a job, and an EventEmitter without an
 * `error` listener throws it: the process would end at the first Redis outage. The errors are
 * logged, one line per component per LOG_EVERY_MS with the number left out, so an outage cannot
 * flood the log; requests that meet the outage answer 503 on their own.
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
    log.warn({ component, error: describeError(err), errors_not_logged: unlogged }, 'job queue: Redis error outside a job (retrying)');
    lastAt = at;
    unlogged = 0;
  };
}
