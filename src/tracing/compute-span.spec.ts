import { SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { traceComputeTask } from './compute-span';
import { setTracingHandle } from './tracing-state';

describe('traceComputeTask', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterAll(async () => {
    setTracingHandle(undefined);
    trace.disable();
    propagation.disable();
    await provider.shutdown();
  });

  afterEach(() => exporter.reset());

  it('with tracing off runs the task as is: no traceparent, no span', async () => {
    setTracingHandle(undefined);
    const seen: (string | undefined)[] = [];
    await traceComputeTask('simulate', async (tp) => (seen.push(tp), { seconds: 0.01 }));
    expect(seen).toEqual([undefined]);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it("gives the task its span's traceparent and records the worker's timing", async () => {
    setTracingHandle({ shutdown: async () => undefined });
    let sent: string | undefined;
    await traceComputeTask('validate', async (tp) => {
      sent = tp;
      return { seconds: 0.0125, trace: { traceparent: tp!, startedAtMs: performance.timeOrigin + performance.now() } };
    });
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('compute validate');
    expect(sent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(span.attributes).toMatchObject({ 'mfn.compute.kind': 'validate', 'mfn.compute.run_ms': 12.5, 'mfn.compute.worker_parent_span_id': span.spanContext().spanId });
    expect(span.attributes['mfn.compute.wait_ms']).toBeGreaterThanOrEqual(0);
  });

  it('marks a failed task with its error code only', async () => {
    setTracingHandle({ shutdown: async () => undefined });
    const failure = Object.assign(new Error('worker said: /internal/path/secret'), { code: 'COMPUTATION_FAILED' });
    await expect(traceComputeTask('aggregate', () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toBeUndefined();
    expect(span.attributes['error.type']).toBe('COMPUTATION_FAILED');
    expect(JSON.stringify(span.attributes)).not.toContain('/internal/path');
    expect(span.events).toHaveLength(0);
  });
});
