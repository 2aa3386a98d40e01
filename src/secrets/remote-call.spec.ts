import { DeadlineExceededError, callWithRetries, withDeadline } from './remote-call';

class Retryable extends Error {}

describe('remote calls', () => {
  it('retries retryable failures up to the bound, then gives up with the last error', async () => {
    let attempts = 0;
    const run = callWithRetries(
      async () => {
        attempts++;
        throw new Retryable(`attempt ${attempts}`);
      },
      { timeoutMs: 1000, retries: 2, baseDelayMs: 1, isRetryable: (e) => e instanceof Retryable },
    );
    await expect(run).rejects.toThrow('attempt 3');
    expect(attempts).toBe(3);
  });

  it('stops at the first non-retryable failure', async () => {
    let attempts = 0;
    const run = callWithRetries(
      async () => {
        attempts++;
        throw new Error('denied');
      },
      { timeoutMs: 1000, retries: 5, baseDelayMs: 1, isRetryable: (e) => e instanceof Retryable },
    );
    await expect(run).rejects.toThrow('denied');
    expect(attempts).toBe(1);
  });

  it('returns the first success', async () => {
    let attempts = 0;
    const value = await callWithRetries(
      async () => {
        attempts++;
        if (attempts < 2) throw new Retryable('flaky');
        return 'ok';
      },
      { timeoutMs: 1000, retries: 3, baseDelayMs: 1, isRetryable: (e) => e instanceof Retryable },
    );
    expect(value).toBe('ok');
    expect(attempts).toBe(2);
  });

  it('abandons an attempt that ignores its deadline and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const never = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<string>(() => undefined);
    };
    const err = await withDeadline(never, 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(err);
  });
});
