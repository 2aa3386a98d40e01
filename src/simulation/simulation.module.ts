import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import type { ServiceRole } from '../config';
import { ReadinessModule } from '../health/readiness.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { ComputeAdmissionService } from './compute-admission.service';
import { ComputePoolService } from './compute-pool.service';
import { SimulationController } from './simulation.controller';
import { SimulationService } from './simulation.service';

/**
 * The compute API (/nernst, /simulate, /validate, /federated/aggregate): controllers and
 * services over the pure numerical core in ./core, with the iterative work on a worker pool
 * behind fair admission (ThrottlingModule's token buckets hold the per-caller work budgets).
 * A `worker` process (MFN_ROLE) keeps the pool for its jobs and serves none of the routes.
 * Nest tells dynamic modules apart by object identity: forRole hands every importer of a role the
 * same object, so a process holds one module and one pool.
 */
@Module({
  imports: [ThrottlingModule, ReadinessModule, AuditModule],
  providers: [SimulationService, ComputePoolService, ComputeAdmissionService],
  exports: [ComputePoolService, ComputeAdmissionService],
})
export class SimulationModule {
  private static readonly byRole = new Map<ServiceRole, DynamicModule>();

  static forRole(role: ServiceRole): DynamicModule {
    let module = SimulationModule.byRole.get(role);
    if (module === undefined) {
      module = { module: SimulationModule, controllers: role === 'worker' ? [] : [SimulationController] };
      SimulationModule.byRole.set(role, module);
    }
    return module;
  }
}
