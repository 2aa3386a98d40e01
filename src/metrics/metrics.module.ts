import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { METRICS_PATH } from './metrics.constants';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/**
 * PrometheusModule configures the scrape route (path, options). Its default-metrics switch stays
 * off because it registers the Node collectors on every app built in a process (prom-client
 * throws on the second); MetricsService starts them once per process instead.
 */
const prometheus = PrometheusModule.register({
  controller: MetricsController,
  path: METRICS_PATH,
  defaultMetrics: { enabled: false },
});

/**
 * Prometheus metrics: the MetricsService facade every module records through, the HTTP metrics
 * middleware, and the GET /metrics scrape route. The route is hosted here rather than in an
 * imported PrometheusModule because Nest registers routes of nested modules after those of the
 * application's direct imports — after the catch-all FallbackController, which would shadow it.
 */
@Global()
@Module({
  controllers: prometheus.controllers,
  providers: [...(prometheus.providers ?? []), MetricsService, HttpMetricsMiddleware, MetricsTokenGuard],
  exports: [MetricsService, HttpMetricsMiddleware, MetricsTokenGuard],
})
export class MetricsModule {}
