import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/**
 * Security audit events: one service, used by the guards and the crypto module. The
 * `access_granted` guard (access-audit.guard.ts) joins the global guard chain in AuthModule,
 * which fixes its place at the end.
 */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
