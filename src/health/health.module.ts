import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../redis/redis.module';
import { HealthController } from './health.controller';
import { LifecycleService } from './lifecycle.service';
import { ReadinessModule } from './readiness.module';
import { RedisReadinessCheck } from './redis-readiness.check';

/** Liveness (/health), readiness (/health/ready) and the shutdown state they report. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadinessModule, RedisModule],
  controllers: [HealthController],
  providers: [LifecycleService, RedisReadinessCheck],
  exports: [LifecycleService],
})
export class HealthModule {}
