import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessAuditInterceptor } from './access-audit.interceptor';
import { AuditService } from './audit.service';

/** Security audit events: one service, used by guards, interceptors and the crypto module. */
@Global()
@Module({
  providers: [AuditService, { provide: APP_INTERCEPTOR, useClass: AccessAuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
