"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.HealthModule = void 0;
const common_1 = require("@nestjs/common");
const terminus_1 = require("@nestjs/terminus");
const health_controller_1 = require("./health.controller");
const lifecycle_service_1 = require("./lifecycle.service");
const readiness_registry_1 = require("./readiness.registry");
const redis_readiness_check_1 = require("./redis-readiness.check");
/** Liveness (/health), readiness (/health/ready) and the shutdown state they report. */
let HealthModule = class HealthModule {
};
exports.HealthModule = HealthModule;
exports.HealthModule = HealthModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        imports: [terminus_1.TerminusModule.forRoot({ logger: false })],
        controllers: [health_controller_1.HealthController],
        providers: [lifecycle_service_1.LifecycleService, readiness_registry_1.ReadinessRegistry, redis_readiness_check_1.RedisReadinessCheck],
        exports: [lifecycle_service_1.LifecycleService, readiness_registry_1.ReadinessRegistry],
    })
], HealthModule);
//# sourceMappingURL=health.module.js.map