/** Receives a job's progress, an integer 0-100. */
export type ProgressSink = (percent: number) => void | Promise<void>;

/**
 * The one place a running job's progress is reported from: 0 when the run starts, step / total
 * while a simulation reports its steps through the compute pool's progress channel, 100 when the
 * result is in. Every store, the SSE stream and GET /jobs/{id} follow it.
 */
export function reportProgress(sink: ProgressSink, step: number, total = 100): void | Promise<void> {
  const percent = total > 0 ? Math.round((Math.min(Math.max(step, 0), total) / total) * 100) : 0;
  return sink(percent);
}

/** Progress reports a simulation job makes at most while it runs (one per this share of its steps). */
export const SIMULATION_PROGRESS_REPORTS = 20;

/**
 * A sink for reports that arrive while the job runs (the pool's onProgress is synchronous): each
 * report is sent after the one before it has settled, a report that would not raise the percent
 * is skipped, a failed one is dropped (progress is advisory), and `settled()` resolves once every
 * report sent so far has been written, before the final 100.
 */
export function orderedProgress(sink: ProgressSink): { report(step: number, total: number): void; settled(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let last = 0;
  return {
    report(step, total) {
      const percent = total > 0 ? Math.round((Math.min(Math.max(step, 0), total) / total) * 100) : 0;
      // 100 is the result's to report, once it is in.
      if (percent <= last || percent >= 100) return;
      last = percent;
      chain = chain.then(() => sink(percent)).catch(() => undefined);
    },
    settled: () => chain,
  };
}
