import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Security audit events: one service, used by guards, interceptors and the crypto module. */
@Global()
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
