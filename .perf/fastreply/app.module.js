"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppModule = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("./common");
const audit_module_1 = require("./audit/audit.module");
const auth_module_1 = require("./auth/auth.module");
const redis_module_1 = require("./common/redis/redis.module");
const config_1 = require("./config");
const crypto_module_1 = require("./crypto/crypto.module");
const health_module_1 = require("./health/health.module");
const metrics_module_1 = require("./metrics/metrics.module");
const secrets_module_1 = require("./secrets/secrets.module");
const simulation_module_1 = require("./simulation/simulation.module");
/** The whole service. FallbackModule stays last: its catch-all route must register after all others. */
let AppModule = AppModule_1 = class AppModule {
    static register(config, logger) {
        return {
            module: AppModule_1,
            imports: [
                config_1.ConfigModule.forRoot(config),
                common_2.LoggingModule.forRoot(logger),
                common_2.CommonModule,
                metrics_module_1.MetricsModule,
                secrets_module_1.SecretsModule,
                redis_module_1.RedisModule,
                audit_module_1.AuditModule,
                auth_module_1.AuthModule,
                health_module_1.HealthModule,
                simulation_module_1.SimulationModule,
                crypto_module_1.CryptoModule,
                common_2.FallbackModule,
            ],
        };
    }
};
exports.AppModule = AppModule;
exports.AppModule = AppModule = AppModule_1 = __decorate([
    (0, common_1.Module)({})
], AppModule);
//# sourceMappingURL=app.module.js.map