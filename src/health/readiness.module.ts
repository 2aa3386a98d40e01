import { Module } from '@nestjs/common';
import { ReadinessRegistry } from './readiness.registry';

/**
 * The readiness registry alone: the modules whose state decides readiness (secrets, key store,
 * compute pool) register their checks here, and HealthModule reports them on /health/ready.
 */
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
export class ReadinessModule {}
