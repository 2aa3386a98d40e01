"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var ConfigModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigModule = void 0;
const common_1 = require("@nestjs/common");
const config_1 = require("@nestjs/config");
const app_config_1 = require("./app-config");
/**
 * Owns the typed configuration. The config object is built before the Nest app (so a bad
 * environment stops start-up before anything listens) and handed in here; every module injects
 * `AppConfig`. @nestjs/config's ConfigService exposes the same object under the key `mfn`.
 */
let ConfigModule = ConfigModule_1 = class ConfigModule {
    static forRoot(config) {
        return {
            module: ConfigModule_1,
            imports: [
                config_1.ConfigModule.forRoot({
                    ignoreEnvFile: true,
                    skipProcessEnv: true,
                    load: [() => ({ mfn: config })],
                }),
            ],
            providers: [{ provide: app_config_1.AppConfig, useValue: config }],
            exports: [app_config_1.AppConfig, config_1.ConfigModule],
        };
    }
};
exports.ConfigModule = ConfigModule;
exports.ConfigModule = ConfigModule = ConfigModule_1 = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({})
], ConfigModule);
//# sourceMappingURL=config.module.js.map