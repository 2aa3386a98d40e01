/** Receives a job's progress, an integer 0-100. */
export type ProgressSink = (percent: number) => void | Promise<void>;

/**
 * The one place a running job's progress is reported from. Today it is coarse: 0 when the run
 * starts and 100 when the result is in. The compute pool's per-step progress can be routed here
 * (step / total), and every store, the SSE stream and GET /jobs/{id} follow without change.
 */
export function reportProgress(sink: ProgressSink, step: number, total = 100): void | Promise<void> {
  const percent = total > 0 ? Math.round((Math.min(Math.max(step, 0), total) / total) * 100) : 0;
  return sink(percent);
}
