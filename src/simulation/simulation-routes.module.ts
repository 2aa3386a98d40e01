import { Module } from '@nestjs/common';
import { SimulationController } from './simulation.controller';
import { SimulationModule } from './simulation.module';

/** The compute API routes (/nernst, /simulate, /validate, /federated/aggregate); not in a `worker` process. */
@Module({
  imports: [SimulationModule],
  controllers: [SimulationController],
})
export class SimulationRoutesModule {}
