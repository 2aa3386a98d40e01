import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReadinessModule } from '../health/readiness.module';
import { ComputeAdmissionService } from './compute-admission.service';
import { ComputeBudgetModule } from './compute-budget.module';
import { ComputePoolService } from './compute-pool.service';
import { SimulationService } from './simulation.service';

/**
 * The compute services over the pure numerical core in ./core: the worker pool that runs the
 * iterative work behind fair admission (ComputeBudgetModule holds the per-caller work budgets) and the request mapping. One module, so one pool per process, whoever imports it
 * (the routes, the jobs, the streams); the routes are SimulationRoutesModule's, which a `worker`
 * process (MFN_ROLE) does not load.
 */
@Module({
  imports: [ComputeBudgetModule, ReadinessModule, AuditModule],
  providers: [SimulationService, ComputePoolService, ComputeAdmissionService],
  exports: [SimulationService, ComputePoolService, ComputeAdmissionService],
})
export class SimulationModule {}
