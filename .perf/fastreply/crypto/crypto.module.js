"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CryptoModule = void 0;
const common_1 = require("@nestjs/common");
const crypto_enabled_guard_1 = require("./crypto-enabled.guard");
const crypto_controller_1 = require("./crypto.controller");
const crypto_service_1 = require("./crypto.service");
const key_manager_service_1 = require("./keys/key-manager.service");
const keys_controller_1 = require("./keys.controller");
/**
 * Crypto as a service: the /api/encrypt|decrypt|sign|verify|keypair endpoints, key lifecycle
 * under /api/keys, the versioned key store (memory or Redis, wrapped under MFN_MASTER_KEY) and the
 * node:crypto primitives. The legacy encrypt_data/decrypt_data format lives in ./legacy as a library.
 */
let CryptoModule = class CryptoModule {
};
exports.CryptoModule = CryptoModule;
exports.CryptoModule = CryptoModule = __decorate([
    (0, common_1.Module)({
        controllers: [crypto_controller_1.CryptoController, keys_controller_1.KeysController],
        providers: [crypto_service_1.CryptoService, key_manager_service_1.KeyManager, crypto_enabled_guard_1.CryptoEnabledGuard],
        exports: [key_manager_service_1.KeyManager],
    })
], CryptoModule);
//# sourceMappingURL=crypto.module.js.map