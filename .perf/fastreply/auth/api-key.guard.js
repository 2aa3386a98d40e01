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
exports.ApiKeyGuard = exports.AUTH_FAILED_MESSAGE = exports.WWW_AUTHENTICATE = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const common_2 = require("../common");
const config_1 = require("../config");
const metrics_service_1 = require("../metrics/metrics.service");
const api_key_service_1 = require("./api-key.service");
const principal_1 = require("./principal");
const route_access_1 = require("./route-access");
/** Sent with every 401 so clients learn where the credential goes. */
exports.WWW_AUTHENTICATE = 'API-Key header="X-API-Key"';
/** The previous service's wording, kept for its clients (SERVICE.md §3). */
exports.AUTH_FAILED_MESSAGE = 'Invalid or missing API key';
/**
 * Authentication: every route that is not `@Public()` needs a valid X-API-Key, whatever the
 * method or path spelling — unknown paths included, since they reach the catch-all route (401
 * before 404, so routes cannot be enumerated without a key). Sets the caller's Principal on the
 * request. With MFN_API_KEY_REQUIRED=false every request runs as the anonymous principal.
 */
let ApiKeyGuard = class ApiKeyGuard {
    config;
    keys;
    access;
    audit;
    metrics;
    constructor(config, keys, access, audit, metrics) {
        this.config = config;
        this.keys = keys;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }
    canActivate(context) {
        const req = context.switchToHttp().getRequest();
        if (!this.config.auth.required) {
            (0, principal_1.setPrincipal)(req, api_key_service_1.ANONYMOUS_PRINCIPAL);
            return true;
        }
        if (this.access.resolve(context).public)
            return true;
        const result = this.keys.checkRequest(req);
        if (result.status === 'valid') {
            (0, principal_1.setPrincipal)(req, result.principal);
            this.audit.recordForRequest(req, {
                action: 'authentication_success',
                category: 'authentication',
                userId: result.principal.id,
            });
            return true;
        }
        const reason = result.status === 'missing' ? 'missing_api_key' : 'invalid_api_key';
        this.metrics.authFailure(reason);
        this.audit.authenticationFailure(req, reason);
        throw new common_2.AppException(result.status === 'missing' ? common_2.ErrorCode.AUTHENTICATION_REQUIRED : common_2.ErrorCode.INVALID_API_KEY, exports.AUTH_FAILED_MESSAGE, common_1.HttpStatus.UNAUTHORIZED, { headers: { 'WWW-Authenticate': exports.WWW_AUTHENTICATE } });
    }
};
exports.ApiKeyGuard = ApiKeyGuard;
exports.ApiKeyGuard = ApiKeyGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [config_1.AppConfig,
        api_key_service_1.ApiKeyService,
        route_access_1.RouteAccessResolver,
        audit_service_1.AuditService,
        metrics_service_1.MetricsService])
], ApiKeyGuard);
//# sourceMappingURL=api-key.guard.js.map