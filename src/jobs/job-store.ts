import type { JobSubmission, JobView, SubmitOutcome } from './job.types';

/** DI token of the job store: in this process (memory) or on BullMQ in Redis. */
export const JOB_STORE = Symbol('JOB_STORE');

/** A failed job kept for operators (dead letter), with its owner. */
export type DeadLetterEntry = JobView;

/**
 * Where jobs live. Every read takes the caller's tenant: a job of another tenant is reported
 * exactly like a missing one (undefined).
 */
export interface JobStore {
  /** Queues a job, or returns the job of an earlier submission with the same Idempotency-Key and body. */
  submit(submission: JobSubmission): Promise<SubmitOutcome>;
  get(id: string, tenant: string): Promise<JobView | undefined>;
  /** Cancels a queued job at once, asks the worker running it to stop; the job as it is now. */
  cancel(id: string, tenant: string): Promise<JobView | undefined>;
  /** Failed jobs (attempts exhausted or a final error), newest first, at most `limit`. */
  deadLetter(limit: number): Promise<DeadLetterEntry[]>;
}
