import { Test } from '@nestjs/testing';
import { METRIC_PROVIDERS } from '../../src/metrics/metric.providers';
import { MetricsService } from '../../src/metrics/metrics.service';

/** A MetricsService built the way the app builds it: from the metric providers, through Nest. */
export async function createMetricsService(): Promise<MetricsService> {
  const moduleRef = await Test.createTestingModule({ providers: [...METRIC_PROVIDERS, MetricsService] }).compile();
  return moduleRef.get(MetricsService);
}
