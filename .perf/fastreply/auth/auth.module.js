"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuthModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const access_audit_guard_1 = require("../audit/access-audit.guard");
const input_scan_guard_1 = require("../common/security/input-scan.guard");
const rate_limit_guard_1 = require("../throttling/rate-limit.guard");
const throttling_module_1 = require("../throttling/throttling.module");
const api_key_guard_1 = require("./api-key.guard");
const api_key_service_1 = require("./api-key.service");
const roles_guard_1 = require("./roles.guard");
const route_access_1 = require("./route-access");
/**
 * Authentication and authorization: the key ring, the route access rules, and the global guard
 * chain. Nest runs global guards in the order they are declared here, and the order is the
 * security contract (SERVICE.md §12): rate limit (failed keys are throttled too) → API key →
 * roles → input scan (suspicious strings, after we know who sent them) → access_granted audit.
 */
let AuthModule = class AuthModule {
};
exports.AuthModule = AuthModule;
exports.AuthModule = AuthModule = __decorate([
    (0, common_1.Module)({
        imports: [throttling_module_1.ThrottlingModule],
        providers: [
            api_key_service_1.ApiKeyService,
            route_access_1.RouteAccessResolver,
            { provide: core_1.APP_GUARD, useClass: rate_limit_guard_1.RateLimitGuard },
            { provide: core_1.APP_GUARD, useClass: api_key_guard_1.ApiKeyGuard },
            { provide: core_1.APP_GUARD, useClass: roles_guard_1.RolesGuard },
            { provide: core_1.APP_GUARD, useClass: input_scan_guard_1.InputScanGuard },
            { provide: core_1.APP_GUARD, useClass: access_audit_guard_1.AccessAuditGuard },
        ],
        exports: [api_key_service_1.ApiKeyService, route_access_1.RouteAccessResolver],
    })
], AuthModule);
//# sourceMappingURL=auth.module.js.map