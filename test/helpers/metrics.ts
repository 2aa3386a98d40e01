import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { METRIC_PROVIDERS } from '../../src/metrics/metric.providers';
import { MetricsService } from '../../src/metrics/metrics.service';

/** A MetricsService built the way the app builds it: from the metric providers, through Nest. */
export async function createMetricsService(): Promise<MetricsService> {
  const moduleRef = await Test.createTestingModule({ providers: [...METRIC_PROVIDERS, MetricsService] }).compile();
  return moduleRef.get(MetricsService);
}

/**
 * The first sample of metric `name` in this process's registry (where in-process test apps
 * count) whose labels include `labels`; 0 when there is none.
 */
export async function registryValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await register.getSingleMetric(name)?.get())?.values ?? [];
  // eslint-disable-next-line security/detect-object-injection -- `key` is a label name the test passes in code
  return values.find((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value))?.value ?? 0;
}
