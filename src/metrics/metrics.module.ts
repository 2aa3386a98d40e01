import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { METRIC_PROVIDERS } from './metric.providers';
import { METRICS_PATH } from './metrics.constants';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/**
 * PrometheusModule, serving GET /metrics through MetricsController and running prom-client's Node
 * process collectors (CPU, memory, event-loop lag, GC, handles). Registered once, when this file
 * loads: prom-client refuses to register the collectors twice in one process. AppModule imports
 * it directly, because Nest registers the routes of nested modules after those of the
 * application's direct imports — after the catch-all FallbackController, which would shadow it.
 */
export const PrometheusScrapeModule = PrometheusModule.register({
  controller: MetricsController,
  path: METRICS_PATH,
  defaultMetrics: { enabled: true },
});

/**
 * Prometheus metrics: the metric providers, the MetricsService facade every module records
 * through, the HTTP metrics middleware and the scrape route's token guard.
 */
@Global()
@Module({
  providers: [...METRIC_PROVIDERS, MetricsService, HttpMetricsMiddleware, MetricsTokenGuard],
  exports: [MetricsService, HttpMetricsMiddleware, MetricsTokenGuard],
})
export class MetricsModule {}
