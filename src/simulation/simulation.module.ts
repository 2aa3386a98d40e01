import { Module } from '@nestjs/common';
import { ComputePoolService } from './compute-pool.service';
import { SimulationController } from './simulation.controller';
import { SimulationService } from './simulation.service';

/**
 * The compute API (/nernst, /simulate, /validate, /federated/aggregate): controllers and
 * services over the pure numerical core in ./core, with the iterative work on a worker pool.
 */
@Module({
  controllers: [SimulationController],
  providers: [SimulationService, ComputePoolService],
  exports: [ComputePoolService],
})
export class SimulationModule {}
