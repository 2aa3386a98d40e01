import { DynamicModule, Module } from '@nestjs/common';
import { CommonModule, FallbackModule, LoggingModule, RootLogger } from './common';
import { AuthModule } from './auth/auth.module';
import { AppConfig, ConfigModule } from './config';
import { CryptoModule } from './crypto/crypto.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { PrometheusScrapeModule } from './metrics/prometheus-scrape.module';
import { RootModule } from './root/root.module';
import { SimulationRoutesModule } from './simulation/simulation-routes.module';
import { SimulationModule } from './simulation/simulation.module';
import { StreamingModule } from './streaming/streaming.module';

/**
 * The whole service. Config, logging and metrics are global (every module uses them); every
 * other dependency is an explicit import of the module that needs it (docs/architecture.md draws
 * the graph). FallbackModule stays last: its catch-all route must register after all others,
 * which is why every module with routes (PrometheusScrapeModule too) is a direct import.
 *
 * MFN_ROLE picks the composition: `api` and `all` serve the whole API (`all` also runs the
 * jobs); a `worker` consumes jobs and serves only the probes and /metrics (docs/jobs.md).
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, logger: RootLogger): DynamicModule {
    const role = config.jobs.role;
    const serves = role !== 'worker';
    const computeRoutes = serves ? [SimulationRoutesModule] : [];
    const api = serves ? [CryptoModule, StreamingModule, RootModule] : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        CommonModule,
        MetricsModule,
        PrometheusScrapeModule,
        AuthModule,
        HealthModule,
        SimulationModule,
        ...computeRoutes,
        JobsModule.forRole(config),
        ...api,
        FallbackModule,
      ],
    };
  }
}
