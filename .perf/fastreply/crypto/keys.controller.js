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
exports.KeysController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const require_roles_decorator_1 = require("../auth/require-roles.decorator");
const roles_1 = require("../auth/roles");
const common_2 = require("../common");
const caller_1 = require("./caller");
const crypto_enabled_guard_1 = require("./crypto-enabled.guard");
const crypto_service_1 = require("./crypto.service");
const key_admin_dto_1 = require("./dto/key-admin.dto");
const validators_1 = require("./dto/validators");
/** Key lifecycle: create, inspect (metadata and public keys only), rotate, retire old versions. */
let KeysController = class KeysController {
    crypto;
    constructor(crypto) {
        this.crypto = crypto;
    }
    create(body, caller) {
        return this.crypto.createKey(body, caller);
    }
    describe(keyId) {
        return this.crypto.describe(keyId);
    }
    rotate(keyId, caller) {
        return this.crypto.rotate(keyId, caller);
    }
    configure(keyId, body, caller) {
        return this.crypto.configure(keyId, body.min_decryption_version, caller);
    }
};
exports.KeysController = KeysController;
__decorate([
    (0, common_1.Post)(),
    (0, common_1.HttpCode)(201),
    (0, swagger_1.ApiOperation)({ summary: 'Create a named AES-256-GCM, Ed25519 or X25519 key (counts against the per-caller limit)' }),
    (0, swagger_1.ApiCreatedResponse)({ type: key_admin_dto_1.KeyDescriptionDto }),
    (0, common_2.ApiErrorResponses)(409),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [key_admin_dto_1.CreateKeyRequestDto, Object]),
    __metadata("design:returntype", Promise)
], KeysController.prototype, "create", null);
__decorate([
    (0, common_1.Get)(':key_id'),
    (0, swagger_1.ApiOperation)({ summary: 'Key metadata: versions, min_decryption_version and public keys' }),
    (0, swagger_1.ApiParam)({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' }),
    (0, swagger_1.ApiOkResponse)({ type: key_admin_dto_1.KeyDescriptionDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Param)('key_id', validators_1.KeyIdPipe)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], KeysController.prototype, "describe", null);
__decorate([
    (0, common_1.Post)(':key_id/rotate'),
    (0, common_1.HttpCode)(200),
    (0, swagger_1.ApiOperation)({ summary: 'Add a key version with fresh material; it encrypts and signs from now on' }),
    (0, swagger_1.ApiParam)({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' }),
    (0, swagger_1.ApiOkResponse)({ type: key_admin_dto_1.KeyDescriptionDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Param)('key_id', validators_1.KeyIdPipe)),
    __param(1, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], KeysController.prototype, "rotate", null);
__decorate([
    (0, common_1.Post)(':key_id/config'),
    (0, common_1.HttpCode)(200),
    (0, swagger_1.ApiOperation)({ summary: 'Set min_decryption_version: older versions stop decrypting and verifying' }),
    (0, swagger_1.ApiParam)({ name: 'key_id', description: '1-64 of A-Z a-z 0-9 . _ : -' }),
    (0, swagger_1.ApiOkResponse)({ type: key_admin_dto_1.KeyDescriptionDto }),
    (0, common_2.ApiErrorResponses)(404),
    __param(0, (0, common_1.Param)('key_id', validators_1.KeyIdPipe)),
    __param(1, (0, common_1.Body)()),
    __param(2, (0, caller_1.Caller)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, key_admin_dto_1.KeyConfigRequestDto, Object]),
    __metadata("design:returntype", Promise)
], KeysController.prototype, "configure", null);
exports.KeysController = KeysController = __decorate([
    (0, swagger_1.ApiTags)('crypto keys'),
    (0, swagger_1.ApiServiceUnavailableResponse)({ type: common_2.ErrorEnvelopeDto, description: 'Crypto disabled or key store unavailable (SERVICE_UNAVAILABLE)' }),
    (0, common_1.UseGuards)(crypto_enabled_guard_1.CryptoEnabledGuard),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.KEYS),
    (0, common_1.Controller)('api/keys'),
    __metadata("design:paramtypes", [crypto_service_1.CryptoService])
], KeysController);
//# sourceMappingURL=keys.controller.js.map