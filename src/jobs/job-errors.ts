import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorCode } from '../common';
import type { JobError } from './job.types';

/** The jobs API's own refusals. */
export const JobErrors = {
  notFound: () => AppException.notFound('Job not found'),

  tooManyQueued: (limit: number, retryAfter: number) =>
    new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many queued jobs for this tenant (at most ${limit}); retry when some have started`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter },
    ),

  idempotencyConflict: () =>
    new AppException(
      ErrorCode.CONFLICT,
      'This Idempotency-Key was already used with a different request body',
      HttpStatus.CONFLICT,
    ),

  alreadyFinished: (state: string) =>
    new AppException(ErrorCode.CONFLICT, `The job has already finished (${state}); there is nothing to cancel`, HttpStatus.CONFLICT),

  invalidIdempotencyKey: () =>
    AppException.badRequest('Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 . _ : -'),

  tooManyStreams: (limit: number) =>
    new AppException(
      ErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many job event streams open for this tenant (at most ${limit}); close one first`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfter: 5 },
    ),

  storeFull: () => AppException.unavailable('The job store is full; retry later', 5),
};

/**
 * Why a run ended without a result. `retryable` failures (a worker thread that died) are run
 * again after a backoff while attempts remain; the rest are final, as the synchronous route's
 * answer would be.
 */
export class JobFailure extends Error {
  constructor(
    readonly error: JobError,
    readonly retryable: boolean,
    readonly cancelled = false,
  ) {
    super(error.message);
    this.name = 'JobFailure';
  }

  static cancelled(): JobFailure {
    return new JobFailure({ code: ErrorCode.INVALID_REQUEST, message: 'The job was cancelled' }, false, true);
  }

  /** One line for the queue's failedReason: parsed back by parseFailure. */
  serialize(): string {
    return JSON.stringify({ code: this.error.code, message: this.error.message, cancelled: this.cancelled });
  }
}

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A stored failedReason back as a job error; anything unrecognised reads as a failed computation. */
export function parseFailure(reason: string | undefined): { error: JobError; cancelled: boolean } {
  try {
    const parsed = JSON.parse(reason ?? '') as { code?: unknown; message?: unknown; cancelled?: unknown };
    if (typeof parsed.code === 'string' && ERROR_CODES.has(parsed.code) && typeof parsed.message === 'string') {
      return { error: { code: parsed.code as ErrorCode, message: parsed.message }, cancelled: parsed.cancelled === true };
    }
  } catch {
    // not one of ours: a lost worker (stalled too often) or a BullMQ error
  }
  return { error: { code: ErrorCode.COMPUTATION_FAILED, message: 'The computation failed' }, cancelled: false };
}
