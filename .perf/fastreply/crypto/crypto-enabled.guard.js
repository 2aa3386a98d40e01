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
exports.CryptoEnabledGuard = void 0;
const common_1 = require("@nestjs/common");
const config_1 = require("../config");
const crypto_errors_1 = require("./crypto.errors");
/**
 * MFN_CRYPTO_ENABLED=false answers 503 on every crypto route. A guard runs before pipes, so the
 * answer does not depend on the body being valid.
 */
let CryptoEnabledGuard = class CryptoEnabledGuard {
    config;
    constructor(config) {
        this.config = config;
    }
    canActivate() {
        if (!this.config.crypto.enabled)
            throw crypto_errors_1.CryptoErrors.disabled();
        return true;
    }
};
exports.CryptoEnabledGuard = CryptoEnabledGuard;
exports.CryptoEnabledGuard = CryptoEnabledGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [config_1.AppConfig])
], CryptoEnabledGuard);
//# sourceMappingURL=crypto-enabled.guard.js.map