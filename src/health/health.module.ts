import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LifecycleService } from './lifecycle.service';
import { ReadinessRegistry } from './readiness.registry';

/** Liveness (/health), readiness (/health/ready) and the shutdown state they report. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [LifecycleService, ReadinessRegistry],
  exports: [LifecycleService, ReadinessRegistry],
})
export class HealthModule {}
