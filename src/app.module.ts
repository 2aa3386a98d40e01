import { DynamicModule, Module } from '@nestjs/common';
import { CommonModule, FallbackModule, LoggingModule, RootLogger } from './common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { RedisModule } from './redis/redis.module';
import { AppConfig, ConfigModule } from './config';
import { CryptoModule } from './crypto/crypto.module';
import { HealthModule } from './health/health.module';
import { MetricsModule, PrometheusScrapeModule } from './metrics/metrics.module';
import { SecretsModule } from './secrets/secrets.module';
import { SimulationModule } from './simulation/simulation.module';

/**
 * The whole service. FallbackModule stays last: its catch-all route must register after all
 * others, which is why every module with routes (PrometheusScrapeModule too) is a direct import.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, logger: RootLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        CommonModule,
        MetricsModule,
        PrometheusScrapeModule,
        SecretsModule,
        RedisModule,
        AuditModule,
        AuthModule,
        HealthModule,
        SimulationModule,
        CryptoModule,
        FallbackModule,
      ],
    };
  }
}
