import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AppConfig } from '../config';
import { jobDtoOf } from './dto/job.dto';
import { JobEventHub, MAX_WATCHERS_PER_TENANT } from './job-event-hub';
import { JobErrors } from './job-errors';
import { TERMINAL_STATES, type JobView } from './job.types';

/** A stream re-reads its job at least this often, in case a queue event was missed. */
const POLL_MS = 2_000;

/**
 * The SSE stream of one job: an event with the job as it is now, another at each change of state
 * or progress, and the final one (with the result or the error), after which the stream ends.
 */
@Injectable()
export class JobEventStream {
  private readonly ttlSeconds: number;

  constructor(
    private readonly hub: JobEventHub,
    config: AppConfig,
  ) {
    this.ttlSeconds = config.jobs.resultTtlSeconds;
  }

  /** `read` answers the job now, undefined once it is gone (expired), or rejects for a failed read. */
  stream(initial: JobView, read: () => Promise<JobView | undefined>): Observable<MessageEvent> {
    if (this.hub.full) throw JobErrors.storeFull();
    if (this.hub.fullFor(initial.tenant)) throw JobErrors.tooManyStreams(MAX_WATCHERS_PER_TENANT);
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      let reading = false;
      let again = false;
      const emit = (job: JobView | undefined): void => {
        if (job === undefined) {
          subscriber.complete();
          return;
        }
        const key = `${job.state}|${job.progress}`;
        if (key !== last) {
          last = key;
          subscriber.next({ type: 'job', id: key, data: jobDtoOf(job, this.ttlSeconds) });
        }
        if (TERMINAL_STATES.has(job.state)) subscriber.complete();
      };
      const refresh = (): void => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        const done = () => {
          reading = false;
          if (again && !subscriber.closed) {
            again = false;
            refresh();
          }
        };
        // A failed read (Redis briefly away) is retried at the next notice or poll.
        read().then(
          (job) => {
            emit(job);
            done();
          },
          done,
        );
      };
      const stop = this.hub.watch(initial.id, initial.tenant, refresh);
      const timer = setInterval(refresh, POLL_MS);
      timer.unref();
      emit(initial);
      // A change between the first read and the watch: read once more.
      if (!subscriber.closed) refresh();
      return () => {
        stop();
        clearInterval(timer);
      };
    });
  }
}
