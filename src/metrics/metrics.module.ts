import { Global, Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { METRIC_PROVIDERS } from './metric.providers';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics: the metric providers, the MetricsService facade and the HTTP metrics
 * middleware. Global because nearly every module records through MetricsService; the scrape
 * route itself is PrometheusScrapeModule (prometheus-scrape.module.ts).
 */
@Global()
@Module({
  imports: [CommonModule],
  providers: [...METRIC_PROVIDERS, MetricsService, HttpMetricsMiddleware],
  exports: [MetricsService, HttpMetricsMiddleware],
})
export class MetricsModule {}
