import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LifecycleService } from './lifecycle.service';
import { ReadinessRegistry } from './readiness.registry';
import { RedisReadinessCheck } from './redis-readiness.check';

/** Liveness (/health), readiness (/health/ready) and the shutdown state they report. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [LifecycleService, ReadinessRegistry, RedisReadinessCheck],
  exports: [LifecycleService, ReadinessRegistry],
})
export class HealthModule {}
