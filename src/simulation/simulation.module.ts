import { Module } from '@nestjs/common';
import { SimulationController } from './simulation.controller';
import { SimulationService } from './simulation.service';

/** The compute API: controllers and services over the pure numerical core in ./core. */
@Module({
  controllers: [SimulationController],
  providers: [SimulationService],
})
export class SimulationModule {}
