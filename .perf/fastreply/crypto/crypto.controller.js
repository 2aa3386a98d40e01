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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CryptoController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const require_roles_decorator_1 = require("../auth/require-roles.decorator");
const roles_1 = require("../auth/roles");
const common_2 = require("../common");
const caller_1 = require("./caller");
const crypto_enabled_guard_1 = require("./crypto-enabled.guard");
const crypto_service_1 = require("./crypto.service");
const crypto_dto_1 = require("./dto/crypto.dto");
/** The five crypto endpoints of SERVICE.md §1.3. */
let CryptoController = class CryptoController {
    crypto;
    constructor(crypto) {
        this.crypto = crypto;
    }
    encrypt(body, caller) {
        return this.crypto.encrypt(body, caller);
    }
    decrypt(body, caller) {
        return this.crypto.decrypt(body, caller);
    }
    sign(body, caller) {
        return this.crypto.sign(body, caller);
    }
    verify(body, caller) {
        return this.crypto.verify(body, caller);
    }
    keypair(body, caller) {
        return this.crypto.keypair(body, caller);
    }
};
exports.CryptoController = CryptoController;
__decorate([
    (0, common_1.Post)('encrypt'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.CRYPTO),
    (0, swagger_1.ApiOperation)({ summary: 'AES-256-GCM encrypt with a named key or the default key' }),
    (0, swagger_1.ApiOkResponse)({ type: crypto_dto_1.EncryptResponseDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [crypto_dto_1.EncryptRequestDto, Object]),
    __metadata("design:returntype", Promise)
], CryptoController.prototype, "encrypt", null);
__decorate([
    (0, common_1.Post)('decrypt'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.CRYPTO),
    (0, swagger_1.ApiOperation)({ summary: 'AES-256-GCM decrypt; 400 DECRYPTION_FAILED for wrong key, wrong AAD, tampered or retired data' }),
    (0, swagger_1.ApiOkResponse)({ type: crypto_dto_1.DecryptResponseDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [crypto_dto_1.DecryptRequestDto, Object]),
    __metadata("design:returntype", Promise)
], CryptoController.prototype, "decrypt", null);
__decorate([
    (0, common_1.Post)('sign'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.CRYPTO),
    (0, swagger_1.ApiOperation)({ summary: 'Ed25519 signature with a named key or the default signing key' }),
    (0, swagger_1.ApiOkResponse)({ type: crypto_dto_1.SignResponseDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [crypto_dto_1.SignRequestDto, Object]),
    __metadata("design:returntype", Promise)
], CryptoController.prototype, "sign", null);
__decorate([
    (0, common_1.Post)('verify'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.CRYPTO),
    (0, swagger_1.ApiOperation)({ summary: 'Ed25519 verification against a public key, a key id or the default signing key' }),
    (0, swagger_1.ApiOkResponse)({ type: crypto_dto_1.VerifyResponseDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [crypto_dto_1.VerifyRequestDto, Object]),
    __metadata("design:returntype", Promise)
], CryptoController.prototype, "verify", null);
__decorate([
    (0, common_1.Post)('keypair'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.KEYS),
    (0, swagger_1.ApiOperation)({ summary: 'New Ed25519 (signing) or ECDH (X25519) key pair; returns the public key only' }),
    (0, swagger_1.ApiOkResponse)({ type: crypto_dto_1.KeypairResponseDto }),
    (0, common_2.ApiErrorResponses)(409),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [crypto_dto_1.KeypairRequestDto, Object]),
    __metadata("design:returntype", Promise)
], CryptoController.prototype, "keypair", null);
exports.CryptoController = CryptoController = __decorate([
    (0, swagger_1.ApiTags)('crypto'),
    (0, swagger_1.ApiServiceUnavailableResponse)({ type: common_2.ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' }),
    (0, common_1.UseGuards)(crypto_enabled_guard_1.CryptoEnabledGuard),
    (0, common_1.Controller)('api'),
    __metadata("design:paramtypes", [crypto_service_1.CryptoService])
], CryptoController);
//# sourceMappingURL=crypto.controller.js.map