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
exports.KeypairResponseDto = exports.KeypairRequestDto = exports.KEYPAIR_ALGORITHMS = exports.VerifyResponseDto = exports.VerifyRequestDto = exports.SignResponseDto = exports.SignRequestDto = exports.DecryptResponseDto = exports.DecryptRequestDto = exports.EncryptResponseDto = exports.EncryptRequestDto = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
const value_transforms_1 = require("../../common/pipes/value-transforms");
const key_types_1 = require("../keys/key-types");
const validators_1 = require("./validators");
const KEY_ID_DOC = {
    description: 'Key id (1-64 of A-Z a-z 0-9 . _ : -). Unknown ids give 404; without it the default key is used ' +
        '(created on first encrypt/sign).',
    maxLength: 64,
    pattern: key_types_1.KEY_ID_PATTERN.source,
    example: 'key_0123456789abcdef0123456789abcdef',
};
/**
 * JSON null in an optional field means "absent", as the previous service read it (IsOptional
 * alone would let the null through to the handler).
 */
function NullAsAbsent() {
    return (0, class_transformer_1.Transform)(value_transforms_1.nullAsAbsent);
}
/** Optional key id: documented and validated the same way on every request body. */
function KeyIdField() {
    return (0, common_1.applyDecorators)((0, swagger_1.ApiPropertyOptional)(KEY_ID_DOC), NullAsAbsent(), (0, class_validator_1.IsOptional)(), (0, class_validator_1.IsString)(), (0, class_validator_1.Matches)(key_types_1.KEY_ID_PATTERN, { message: validators_1.KEY_ID_RULE }));
}
class EncryptRequestDto {
    plaintext;
    key_id;
    associated_data;
}
exports.EncryptRequestDto = EncryptRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Data to encrypt, standard base64', minLength: 1, maxLength: validators_1.MAX_BASE64_CHARS, example: 'aGVsbG8=' }),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(1, validators_1.MAX_BASE64_CHARS),
    (0, validators_1.IsStrictBase64)(),
    __metadata("design:type", String)
], EncryptRequestDto.prototype, "plaintext", void 0);
__decorate([
    KeyIdField(),
    __metadata("design:type", String)
], EncryptRequestDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'Associated data bound to the ciphertext, standard base64 (absent = empty)', maxLength: validators_1.MAX_AAD_CHARS }),
    NullAsAbsent(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(validators_1.MAX_AAD_CHARS),
    (0, validators_1.IsStrictBase64)(),
    __metadata("design:type", String)
], EncryptRequestDto.prototype, "associated_data", void 0);
class EncryptResponseDto {
    ciphertext;
    key_id;
    key_version;
    algorithm;
}
exports.EncryptResponseDto = EncryptResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: '`mfn:v<version>:` + base64(nonce ‖ ciphertext ‖ tag)', example: 'mfn:v1:3q2+7w==' }),
    __metadata("design:type", String)
], EncryptResponseDto.prototype, "ciphertext", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], EncryptResponseDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Key version that encrypted the data', example: 1 }),
    __metadata("design:type", Number)
], EncryptResponseDto.prototype, "key_version", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'AES-256-GCM' }),
    __metadata("design:type", String)
], EncryptResponseDto.prototype, "algorithm", void 0);
class DecryptRequestDto {
    ciphertext;
    key_id;
    associated_data;
}
exports.DecryptRequestDto = DecryptRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'Ciphertext from /api/encrypt (`mfn:v<N>:<base64>`); bare base64 is tried against every usable version',
        minLength: 1,
        maxLength: validators_1.MAX_BASE64_CHARS,
    }),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(1, validators_1.MAX_BASE64_CHARS),
    __metadata("design:type", String)
], DecryptRequestDto.prototype, "ciphertext", void 0);
__decorate([
    KeyIdField(),
    __metadata("design:type", String)
], DecryptRequestDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'The associated data given to encrypt, standard base64', maxLength: validators_1.MAX_AAD_CHARS }),
    NullAsAbsent(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(validators_1.MAX_AAD_CHARS),
    (0, validators_1.IsStrictBase64)(),
    __metadata("design:type", String)
], DecryptRequestDto.prototype, "associated_data", void 0);
class DecryptResponseDto {
    plaintext;
    key_id;
    key_version;
}
exports.DecryptResponseDto = DecryptResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Decrypted data, standard base64' }),
    __metadata("design:type", String)
], DecryptResponseDto.prototype, "plaintext", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], DecryptResponseDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Key version that decrypted the data' }),
    __metadata("design:type", Number)
], DecryptResponseDto.prototype, "key_version", void 0);
class SignRequestDto {
    message;
    key_id;
}
exports.SignRequestDto = SignRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Message to sign, standard base64', minLength: 1, maxLength: validators_1.MAX_BASE64_CHARS }),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(1, validators_1.MAX_BASE64_CHARS),
    (0, validators_1.IsStrictBase64)(),
    __metadata("design:type", String)
], SignRequestDto.prototype, "message", void 0);
__decorate([
    KeyIdField(),
    __metadata("design:type", String)
], SignRequestDto.prototype, "key_id", void 0);
class SignResponseDto {
    signature;
    key_id;
    key_version;
    algorithm;
}
exports.SignResponseDto = SignResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: '`mfn:v<version>:` + base64 of the 64-byte Ed25519 signature (R ‖ S)' }),
    __metadata("design:type", String)
], SignResponseDto.prototype, "signature", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], SignResponseDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Key version that signed' }),
    __metadata("design:type", Number)
], SignResponseDto.prototype, "key_version", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Ed25519' }),
    __metadata("design:type", String)
], SignResponseDto.prototype, "algorithm", void 0);
class VerifyRequestDto {
    message;
    signature;
    public_key;
    key_id;
}
exports.VerifyRequestDto = VerifyRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Signed message, standard base64', minLength: 1, maxLength: validators_1.MAX_BASE64_CHARS }),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(1, validators_1.MAX_BASE64_CHARS),
    (0, validators_1.IsStrictBase64)(),
    __metadata("design:type", String)
], VerifyRequestDto.prototype, "message", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'Signature from /api/sign (`mfn:v<N>:<base64>`) or bare base64 of 64 bytes; anything malformed verifies as false',
        minLength: 1,
        maxLength: validators_1.MAX_SIGNATURE_CHARS,
    }),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.Length)(1, validators_1.MAX_SIGNATURE_CHARS),
    __metadata("design:type", String)
], VerifyRequestDto.prototype, "signature", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'Raw 32-byte Ed25519 public key, base64; wins over key_id', maxLength: validators_1.MAX_PUBLIC_KEY_CHARS }),
    NullAsAbsent(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(validators_1.MAX_PUBLIC_KEY_CHARS),
    __metadata("design:type", String)
], VerifyRequestDto.prototype, "public_key", void 0);
__decorate([
    KeyIdField(),
    __metadata("design:type", String)
], VerifyRequestDto.prototype, "key_id", void 0);
class VerifyResponseDto {
    valid;
    key_id;
    algorithm;
}
exports.VerifyResponseDto = VerifyResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], VerifyResponseDto.prototype, "valid", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ nullable: true, type: String, description: 'The request key_id when a public key was given, else the key used' }),
    __metadata("design:type", Object)
], VerifyResponseDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Ed25519' }),
    __metadata("design:type", String)
], VerifyResponseDto.prototype, "algorithm", void 0);
exports.KEYPAIR_ALGORITHMS = ['Ed25519', 'ECDH'];
class KeypairRequestDto {
    algorithm = 'Ed25519';
    key_id;
}
exports.KeypairRequestDto = KeypairRequestDto;
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ enum: exports.KEYPAIR_ALGORITHMS, default: 'Ed25519', description: 'Ed25519 (signing) or ECDH (X25519), exact case' })
    // Absent means the default; null is not an algorithm (422), unlike the nullable fields above.
    ,
    (0, class_validator_1.ValidateIf)((_dto, value) => value !== undefined),
    (0, class_validator_1.IsIn)(exports.KEYPAIR_ALGORITHMS),
    __metadata("design:type", String)
], KeypairRequestDto.prototype, "algorithm", void 0);
__decorate([
    KeyIdField(),
    __metadata("design:type", String)
], KeypairRequestDto.prototype, "key_id", void 0);
class KeypairResponseDto {
    key_id;
    public_key;
    algorithm;
    key_version;
}
exports.KeypairResponseDto = KeypairResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], KeypairResponseDto.prototype, "key_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Raw 32-byte public key, standard base64' }),
    __metadata("design:type", String)
], KeypairResponseDto.prototype, "public_key", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ enum: exports.KEYPAIR_ALGORITHMS }),
    __metadata("design:type", String)
], KeypairResponseDto.prototype, "algorithm", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 1 }),
    __metadata("design:type", Number)
], KeypairResponseDto.prototype, "key_version", void 0);
//# sourceMappingURL=crypto.dto.js.map