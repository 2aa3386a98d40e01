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
exports.RouteAccessResolver = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const common_2 = require("../common");
const config_1 = require("../config");
const require_roles_decorator_1 = require("./require-roles.decorator");
const roles_1 = require("./roles");
const PUBLIC = Object.freeze({ public: true });
const ANY_KEY = Object.freeze({ public: false });
const METRICS_ROLE = Object.freeze({ public: false, roles: Object.freeze([roles_1.Role.METRICS]) });
/**
 * Reads a route's access rule from its decorators (`@Public()`, `@MetricsRoute()`,
 * `@RequireRoles()`) once per handler: the rate limiter, the API-key guard and the roles guard
 * all ask for every request, so the answer is cached.
 *
 * The scrape route is public unless MFN_METRICS_INCLUDE_IN_AUTH=true, then it needs `metrics`.
 */
let RouteAccessResolver = class RouteAccessResolver {
    reflector;
    config;
    cache = new WeakMap();
    constructor(reflector, config) {
        this.reflector = reflector;
        this.config = config;
    }
    resolve(context) {
        const handler = context.getHandler();
        let access = this.cache.get(handler);
        if (access === undefined) {
            access = this.read(context);
            this.cache.set(handler, access);
        }
        return access;
    }
    read(context) {
        const targets = [context.getHandler(), context.getClass()];
        const isMetrics = this.reflector.getAllAndOverride(common_2.METRICS_ROUTE_KEY, targets) === true;
        if (isMetrics)
            return this.config.metrics.includeInAuth ? METRICS_ROLE : PUBLIC;
        if (this.reflector.getAllAndOverride(common_2.IS_PUBLIC_KEY, targets) === true)
            return PUBLIC;
        const roles = this.reflector.getAllAndOverride(require_roles_decorator_1.REQUIRED_ROLES_KEY, targets);
        return roles && roles.length > 0 ? Object.freeze({ public: false, roles: Object.freeze([...roles]) }) : ANY_KEY;
    }
};
exports.RouteAccessResolver = RouteAccessResolver;
exports.RouteAccessResolver = RouteAccessResolver = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector,
        config_1.AppConfig])
], RouteAccessResolver);
//# sourceMappingURL=route-access.js.map