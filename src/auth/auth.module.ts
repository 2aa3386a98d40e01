import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken } from '@nestjs/throttler';
import { AccessAuditGuard } from '../audit/access-audit.guard';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import { SecretsModule } from '../secrets/secrets.module';
import { BodyBudget } from '../common/body/body-budget';
import { JsonBodyGuard } from '../common/body/json-body.guard';
import { InputScanGuard } from './input-scan.guard';
import { RateLimitClients } from '../throttling/rate-limit.clients';
import { RateLimitGuard } from '../throttling/rate-limit.guard';
import { ThrottlingModule } from '../throttling/throttling.module';
import { AddressListMiddleware } from './address-lists/address-list.middleware';
import { AddressListService } from './address-lists/address-list.service';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_CLOCK, ApiKeyService } from './api-key.service';
import { LockoutGuard } from './lockout/lockout.guard';
import { LockoutModule } from './lockout/lockout.module';
import { RolesGuard } from './roles.guard';
import { RouteAccessResolver } from './route-access';

/**
 * Authentication and authorization: the key ring, the route access rules, and the global guard
 * chain. Nest runs global guards in the order they are declared here, and the order is the
 * security contract (docs/security.md, "Request pipeline"): brute-force lock (before anything
 * looks at the key) → rate limit (failed keys are throttled too; its throttler options are here,
 * as they need the key ring) → API key → roles → access_granted audit → body (read and parsed
 * only for a caller allowed so far) → input scan (suspicious strings, after we know who sent
 * them). The address lists come earlier still, as a middleware in front of routing
 * (AddressListMiddleware, mounted in app.factory.ts).
 */
@Module({
  imports: [CommonModule, SecretsModule, AuditModule, ThrottlingModule, LockoutModule],
  providers: [
    ApiKeyService,
    { provide: API_KEY_CLOCK, useValue: Date.now },
    AddressListService,
    AddressListMiddleware,
    RouteAccessResolver,
    BodyBudget,
    RateLimitClients,
    { provide: getOptionsToken(), inject: [RateLimitClients], useFactory: (clients: RateLimitClients) => clients.createThrottlerOptions() },
    { provide: APP_GUARD, useClass: LockoutGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: AccessAuditGuard },
    { provide: APP_GUARD, useClass: JsonBodyGuard },
    { provide: APP_GUARD, useClass: InputScanGuard },
  ],
  exports: [ApiKeyService, AddressListService, AddressListMiddleware, RouteAccessResolver],
})
export class AuthModule {}
