/**
 * Bounded remote calls for the AWS and Vault backends: every attempt has a hard deadline
 * (the attempt's AbortSignal fires and the call is abandoned even if the client ignores the
 * signal), and failed attempts are retried a bounded number of times with exponential backoff
 * and jitter. Only failures the caller marks as retryable are retried.
 */

export interface RemoteCallOptions {
  /** Per-attempt deadline. */
  timeoutMs: number;
  /** Retries after the first attempt (0 = one attempt only). */
  retries: number;
  /** First backoff step; doubles each retry, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  isRetryable(err: unknown): boolean;
}

/** The attempt ran past its deadline. */
export class DeadlineExceededError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

export async function callWithRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RemoteCallOptions): Promise<T> {
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 2_000;
  for (let n = 0; ; n++) {
    try {
      return await withDeadline(attempt, options.timeoutMs);
    } catch (err) {
      if (n >= options.retries || !options.isRetryable(err)) throw err;
      const step = Math.min(cap, base * 2 ** n);
      await sleep(step / 2 + Math.random() * (step / 2));
    }
  }
}

/** Runs one attempt under a deadline; a late result of an abandoned attempt is ignored. */
export async function withDeadline<T>(attempt: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineExceededError(timeoutMs);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
