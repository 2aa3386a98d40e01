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
exports.KeyDescriptionDto = exports.KeyVersionDto = exports.KeyConfigRequestDto = exports.CreateKeyRequestDto = exports.KEY_TYPES = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const key_types_1 = require("../keys/key-types");
const validators_1 = require("./validators");
exports.KEY_TYPES = [key_types_1.KeyType.AES_256_GCM, key_types_1.KeyType.ED25519, key_types_1.KeyType.X25519];
class CreateKeyRequestDto {
    type;
    key_id;
}
exports.CreateKeyRequestDto = CreateKeyRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ enum: exports.KEY_TYPES, description: 'AES-256-GCM (encrypt/decrypt), Ed25519 (sign/verify) or X25519 (key agreement)' }),
    (0, class_validator_1.IsIn)(exports.KEY_TYPES),
    __metadata("design:type", String)
], CreateKeyRequestDto.prototype, "type", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'Key id (1-64 of A-Z a-z 0-9 . _ : -); generated when absent', maxLength: 64, pattern: key_types_1.KEY_ID_PATTERN.source }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Matches)(key_types_1.KEY_ID_PATTERN, { message: validators_1.KEY_ID_RULE }),
    __metadata("design:type", String)
], CreateKeyRequestDto.prototype, "key_id", void 0);
class KeyConfigRequestDto {
    min_decryption_version;
}
exports.KeyConfigRequestDto = KeyConfigRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Oldest version still allowed to decrypt and verify (1 … latest version)', minimum: 1 }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(2_147_483_647),
    __metadata("design:type", Number)
], KeyConfigRequestDto.prototype, "min_decryption_version", void 0);
class KeyVersionDto {
    version;
    created_at;
    public_key;
}
exports.KeyVersionDto = KeyVersionDto;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Number)
], KeyVersionDto.prototype, "version", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], KeyVersionDto.prototype, "created_at", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'Raw 32-byte public key, base64 (asymmetric keys only)' }),
    __metadata("design:type", String)
], KeyVersionDto.prototype, "public_key", void 0);
class KeyDescriptionDto {
    key_id;
    type;
    created_at;
    latest_version;
    min_decryption_version;
    default_for;
    versions;
}
exports.KeyDescriptionDto = KeyDescriptionDto;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], KeyDescriptionDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ enum: exports.KEY_TYPES }),
    __metadata("design:type", String)
], KeyDescriptionDto.prototype, "type", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], KeyDescriptionDto.prototype, "created_at", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Number)
], KeyDescriptionDto.prototype, "latest_version", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Number)
], KeyDescriptionDto.prototype, "min_decryption_version", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: [String], description: 'encryption and/or signing when this is a default key' }),
    __metadata("design:type", Array)
], KeyDescriptionDto.prototype, "default_for", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: [KeyVersionDto] }),
    __metadata("design:type", Array)
], KeyDescriptionDto.prototype, "versions", void 0);
//# sourceMappingURL=key-admin.dto.js.map