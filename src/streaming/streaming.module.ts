import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { LockoutModule } from '../auth/lockout/lockout.module';
import { SimulationModule } from '../simulation/simulation.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { ConnectionRegistry } from './connection-registry';
import { STREAM_METRIC_PROVIDERS, StreamMetrics } from './stream-metrics';
import { StreamPathsController } from './stream-paths.controller';
import { StreamRunner } from './stream-runner';
import { FeatureStreamGateway, SimulationStreamGateway } from './streaming.gateway';
import { StreamingContext } from './streaming-context.service';
import { UpgradeGate } from './upgrade-gate.service';

/**
 * The WebSocket streams /ws/stream_features and /ws/simulation_live (docs/streaming.md): the
 * upgrade gate (origin, key, role, lock, caps), the connections, and the streams' compute on
 * the worker pool through SimulationModule's fair admission.
 */
@Module({
  imports: [AuthModule, LockoutModule, AuditModule, ThrottlingModule, SimulationModule],
  controllers: [StreamPathsController],
  providers: [...STREAM_METRIC_PROVIDERS, StreamMetrics, ConnectionRegistry, UpgradeGate, StreamRunner, StreamingContext, FeatureStreamGateway, SimulationStreamGateway],
  exports: [UpgradeGate, StreamingContext],
})
export class StreamingModule {}
