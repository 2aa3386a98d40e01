import type { DynamicModule } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { AuditModule } from '../audit/audit.module';
import { LockoutModule } from '../auth/lockout/lockout.module';
import { SecretsModule } from '../secrets/secrets.module';
import { METRICS_PATH } from './metrics.constants';
import { MetricsController } from './metrics.controller';

const prometheus = PrometheusModule.register({
  controller: MetricsController,
  path: METRICS_PATH,
  defaultMetrics: { enabled: true },
});

/**
 * PrometheusModule serving GET /metrics through MetricsController, and running prom-client's
 * Node process collectors (CPU, memory, event-loop lag, GC, handles). Registered once, when this
 * file loads: prom-client refuses to register the collectors twice in one process.
 *
 * The controller's token guard (MetricsTokenGuard) is resolved in this module, so the module
 * imports what the guard needs: the secrets (the token), audit and the brute-force lockout.
 * AppModule imports it directly, because Nest registers the routes of nested modules after those
 * of the application's direct imports — after the catch-all FallbackController, which would
 * shadow it.
 */
export const PrometheusScrapeModule: DynamicModule = {
  ...prometheus,
  imports: [...(prometheus.imports ?? []), SecretsModule, AuditModule, LockoutModule],
};
