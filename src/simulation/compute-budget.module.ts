import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { ComputeWorkBudget } from './compute-work-budget';

/**
 * The per-caller compute work budget on its own, without the worker pool: the synchronous routes
 * spend from it through SimulationModule, and a jobs API process (MFN_ROLE=api, no pool) charges
 * submitted jobs against the same buckets.
 */
@Module({
  imports: [ThrottlingModule, AuditModule],
  providers: [ComputeWorkBudget],
  exports: [ComputeWorkBudget],
})
export class ComputeBudgetModule {}
