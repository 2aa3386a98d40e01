import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { TraceSampler } from '../config/tracing-config';

function baseSampler(kind: 'always_on' | 'always_off' | 'traceidratio', ratio: number): Sampler {
  if (kind === 'always_on') return new AlwaysOnSampler();
  if (kind === 'always_off') return new AlwaysOffSampler();
  return new TraceIdRatioBasedSampler(ratio);
}

/**
 * The sampler of OTEL_TRACES_SAMPLER. The parent-based ones continue a caller's trace, but a
 * caller's "sampled" flag cannot make the service record more than its own root sampler would:
 * a remote sampled parent is judged by the root sampler, a remote unsampled one is not recorded.
 * Parents inside the process (a span of this service) are followed as usual.
 */
export function buildSampler(kind: TraceSampler, ratio: number): Sampler {
  if (!kind.startsWith('parentbased_')) return baseSampler(kind as 'always_on' | 'always_off' | 'traceidratio', ratio);
  const root = baseSampler(kind.slice('parentbased_'.length) as 'always_on' | 'always_off' | 'traceidratio', ratio);
  return new ParentBasedSampler({ root, remoteParentSampled: root, remoteParentNotSampled: new AlwaysOffSampler() });
}
