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
exports.HealthController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const terminus_1 = require("@nestjs/terminus");
const config_1 = require("../config");
const common_2 = require("../common");
const lifecycle_service_1 = require("./lifecycle.service");
const readiness_registry_1 = require("./readiness.registry");
class LivenessDto {
    status;
    version;
}
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'healthy' }),
    __metadata("design:type", String)
], LivenessDto.prototype, "status", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: '4.1.0' }),
    __metadata("design:type", String)
], LivenessDto.prototype, "version", void 0);
let HealthController = class HealthController {
    health;
    indicators;
    lifecycle;
    readiness;
    liveness;
    constructor(config, health, indicators, lifecycle, readiness) {
        this.health = health;
        this.indicators = indicators;
        this.lifecycle = lifecycle;
        this.readiness = readiness;
        this.liveness = { status: 'healthy', version: config.version };
    }
    /** Liveness: constant work, never touches Redis or the worker pool. */
    live() {
        return this.liveness;
    }
    /** Readiness: dependencies usable and not draining; 503 tells Kubernetes to stop routing here. */
    async ready() {
        try {
            return await this.health.check([
                () => {
                    const session = this.indicators.check('lifecycle');
                    return this.lifecycle.shuttingDown ? session.down({ state: 'shutting_down' }) : session.up({ state: 'running' });
                },
                ...this.readiness.all(),
            ]);
        }
        catch (err) {
            if (!(err instanceof common_1.ServiceUnavailableException))
                throw err;
            const result = err.getResponse();
            const details = Object.entries(result.error ?? {}).map(([field, info]) => ({
                field,
                message: String(info.state ?? info.message ?? 'down'),
            }));
            const reason = this.lifecycle.shuttingDown ? 'shutting_down' : 'dependency unavailable';
            throw new common_2.AppException(common_2.ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${reason}`, common_1.HttpStatus.SERVICE_UNAVAILABLE, { details });
        }
    }
};
exports.HealthController = HealthController;
__decorate([
    (0, common_1.Get)(),
    (0, swagger_1.ApiOperation)({ summary: 'Liveness probe' }),
    (0, swagger_1.ApiOkResponse)({ type: LivenessDto }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", LivenessDto)
], HealthController.prototype, "live", null);
__decorate([
    (0, common_1.Get)('ready'),
    (0, swagger_1.ApiOperation)({ summary: 'Readiness probe (dependencies and shutdown state)' }),
    (0, swagger_1.ApiOkResponse)({ description: 'Ready to take traffic' }),
    (0, swagger_1.ApiServiceUnavailableResponse)({ type: common_2.ErrorEnvelopeDto, description: 'Not ready (shutting_down or a dependency down)' }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "ready", null);
exports.HealthController = HealthController = __decorate([
    (0, swagger_1.ApiTags)('health'),
    (0, common_2.Public)(),
    (0, common_1.Controller)('health'),
    __metadata("design:paramtypes", [config_1.AppConfig,
        terminus_1.HealthCheckService,
        terminus_1.HealthIndicatorService,
        lifecycle_service_1.LifecycleService,
        readiness_registry_1.ReadinessRegistry])
], HealthController);
//# sourceMappingURL=health.controller.js.map