import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { buildSampler } from './sampler';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function decide(kind: Parameters<typeof buildSampler>[0], ratio: number, parent?: { remote: boolean; sampled: boolean }): SamplingDecision {
  const ctx =
    parent === undefined
      ? ROOT_CONTEXT
      : trace.setSpanContext(ROOT_CONTEXT, {
          traceId: TRACE_ID,
          spanId: 'b7ad6b7169203331',
          traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: parent.remote,
        });
  return buildSampler(kind, ratio).shouldSample(ctx, TRACE_ID, 'span', SpanKind.SERVER, {}, []).decision;
}

describe('buildSampler', () => {
  it('continues a sampled caller by default (parentbased_always_on)', () => {
    expect(decide('parentbased_always_on', 1, { remote: true, sampled: true })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_always_on', 1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it("does not let a caller's sampled flag raise the rate above the root sampler's", () => {
    expect(decide('parentbased_traceidratio', 0, { remote: true, sampled: true })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('parentbased_always_off', 1, { remote: true, sampled: true })).toBe(SamplingDecision.NOT_RECORD);
  });

  it("honours a caller's unsampled flag and follows local parents", () => {
    expect(decide('parentbased_always_on', 1, { remote: true, sampled: false })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('parentbased_traceidratio', 0, { remote: false, sampled: true })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_traceidratio', 0, { remote: false, sampled: false })).toBe(SamplingDecision.NOT_RECORD);
  });

  it('offers the plain samplers too', () => {
    expect(decide('always_off', 1)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('always_on', 1, { remote: true, sampled: false })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('traceidratio', 1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('traceidratio', 0)).toBe(SamplingDecision.NOT_RECORD);
  });
});
