import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { tracingActive } from './tracing-state';

/** What the worker thread reports about a traced task (compute-task.ts `ComputeTaskResult.trace`). */
export interface WorkerTrace {
  /** The traceparent the thread received in the task message. */
  traceparent: string;
  /** When the thread started the task, in epoch milliseconds (its own clock reading). */
  startedAtMs: number;
}

const tracer = trace.getTracer('mfn.compute');

/** The span id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`), if well formed. */
function spanIdOf(traceparent: string): string | undefined {
  const parts = traceparent.split('-');
  return parts.length === 4 && /^[0-9a-f]{16}$/.test(parts[2]) ? parts[2] : undefined;
}

/**
 * Runs one compute task under a `compute <kind>` span, child of the request's span. The span is
 * recorded on the main thread (the worker threads have no tracer provider): its traceparent
 * travels in the task message, and the thread sends back when it started, so the span carries
 * the queue wait and the run time the thread measured. With tracing off the task runs as is.
 */
export async function traceComputeTask<R extends { seconds: number; trace?: WorkerTrace }>(
  kind: string,
  run: (traceparent: string | undefined) => Promise<R>,
): Promise<R> {
  if (!tracingActive()) return run(undefined);
  const span = tracer.startSpan(`compute ${kind}`, { kind: SpanKind.INTERNAL, attributes: { 'mfn.compute.kind': kind } });
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  const submittedAtMs = performance.timeOrigin + performance.now();
  try {
    const result = await run(carrier.traceparent);
    span.setAttribute('mfn.compute.run_ms', Math.round(result.seconds * 1e6) / 1e3);
    if (result.trace !== undefined) {
      span.setAttribute('mfn.compute.wait_ms', Math.max(0, Math.round((result.trace.startedAtMs - submittedAtMs) * 1e3) / 1e3));
      const parent = spanIdOf(result.trace.traceparent);
      if (parent !== undefined) span.setAttribute('mfn.compute.worker_parent_span_id', parent);
    }
    return result;
  } catch (err) {
    // The error's kind only: messages and stacks stay out of exported spans.
    const code = (err as { code?: unknown }).code;
    span.setAttribute('error.type', typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown');
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}
