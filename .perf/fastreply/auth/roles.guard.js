"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RolesGuard = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const common_2 = require("../common");
const metrics_service_1 = require("../metrics/metrics.service");
const principal_1 = require("./principal");
const roles_1 = require("./roles");
const route_access_1 = require("./route-access");
/**
 * Authorization: a route with `@RequireRoles(...)` (or the scrape route behind auth) needs a key
 * holding one of the roles; `admin` holds them all. Runs after the API-key guard, so a caller
 * here is already authenticated (or anonymous with every role when auth is off).
 */
let RolesGuard = class RolesGuard {
    access;
    audit;
    metrics;
    constructor(access, audit, metrics) {
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }
    canActivate(context) {
        const required = this.access.resolve(context).roles;
        if (required === undefined)
            return true;
        const req = context.switchToHttp().getRequest();
        const principal = (0, principal_1.principalOf)(req);
        // No principal here would mean the chain was misordered: refuse rather than serve.
        const roles = principal?.roles;
        if (roles !== undefined && (roles.has(roles_1.Role.ADMIN) || required.some((role) => roles.has(role))))
            return true;
        this.metrics.authFailure('insufficient_permissions');
        this.audit.recordForRequest(req, {
            action: 'access_denied',
            category: 'authorization',
            severity: 'WARNING',
            success: false,
            userId: principal?.id,
            details: { reason: 'insufficient_permissions', required_roles: [...required] },
        });
        throw new common_2.AppException(common_2.ErrorCode.FORBIDDEN, `This API key lacks the role required here (${required.join(' or ')})`, common_1.HttpStatus.FORBIDDEN);
    }
};
exports.RolesGuard = RolesGuard;
exports.RolesGuard = RolesGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [route_access_1.RouteAccessResolver,
        audit_service_1.AuditService,
        metrics_service_1.MetricsService])
], RolesGuard);
//# sourceMappingURL=roles.guard.js.map