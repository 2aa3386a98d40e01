/**
 * Whether tracing runs in this process, and how to stop it. Set once by startTracing (before the
 * rest of the service loads); read by the compute pool so that, with tracing off, a task pays
 * one boolean test and nothing else.
 */
export interface TracingHandle {
  /** Ends the spans' export: flushes what is buffered, then stops the SDK. */
  shutdown(): Promise<void>;
}

let active: TracingHandle | undefined;

export function setTracingHandle(handle: TracingHandle | undefined): void {
  active = handle;
}

export function tracingActive(): boolean {
  return active !== undefined;
}

/** Flushes and stops tracing; resolves at once when tracing is off. Never rejects. */
export async function shutdownTracing(): Promise<void> {
  const handle = active;
  active = undefined;
  if (handle === undefined) return;
  try {
    await handle.shutdown();
  } catch {
    // The collector is unreachable: the spans are lost, the shutdown goes on.
  }
}
