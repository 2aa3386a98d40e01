import type { ErrorCode } from '../common';

/** What a job computes: the synchronous route it stands for. */
export const JOB_KINDS = ['simulate', 'validate', 'aggregate'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled']);

/** A failed job's error, in the envelope's vocabulary (the same code the synchronous route answers). */
export interface JobError {
  code: ErrorCode;
  message: string;
}

/** What a store knows of a job. `tenant` never leaves the service (the API answers 404 to other tenants). */
export interface JobView {
  id: string;
  kind: JobKind;
  tenant: string;
  state: JobState;
  /** 0-100. */
  progress: number;
  result?: unknown;
  error?: JobError;
  /** Runs started so far (a retry or a takeover after a dead worker starts another). */
  attempts: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

/** A validated submission. `body` is the synchronous route's validated body, as plain JSON data. */
export interface JobSubmission {
  kind: JobKind;
  tenant: string;
  body: Record<string, unknown>;
  /** SHA-256 of the canonical body: what an Idempotency-Key is bound to. */
  bodyHash: string;
  idempotencyKey?: string;
  requestId: string;
}

/** The outcome of a submission: a new job, or the one an earlier request with the same Idempotency-Key made. */
export interface SubmitOutcome {
  job: JobView;
  existing: boolean;
}

/** The data a job carries through the queue. */
export interface JobPayload {
  kind: JobKind;
  tenant: string;
  body: Record<string, unknown>;
  bodyHash: string;
}
