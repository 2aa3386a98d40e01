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
exports.ErrorEnvelopeDto = exports.ErrorDetailDto = void 0;
const swagger_1 = require("@nestjs/swagger");
class ErrorDetailDto {
    field;
    message;
    value;
}
exports.ErrorDetailDto = ErrorDetailDto;
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'body.z_valence', description: 'Dotted location of the bad input' }),
    __metadata("design:type", String)
], ErrorDetailDto.prototype, "field", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'z_valence must not be greater than 3' }),
    __metadata("design:type", String)
], ErrorDetailDto.prototype, "message", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'The offending value (cut to 100 characters; never for payloads or secrets)' }),
    __metadata("design:type", Object)
], ErrorDetailDto.prototype, "value", void 0);
/** Documentation of the error envelope every non-2xx response uses. */
class ErrorEnvelopeDto {
    error_code;
    message;
    detail;
    details;
    request_id;
    timestamp;
    retry_after;
}
exports.ErrorEnvelopeDto = ErrorEnvelopeDto;
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'VALIDATION_ERROR', description: 'Machine-readable error code' }),
    __metadata("design:type", String)
], ErrorEnvelopeDto.prototype, "error_code", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Validation failed: 1 error(s)' }),
    __metadata("design:type", String)
], ErrorEnvelopeDto.prototype, "message", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Validation failed: 1 error(s)', description: 'Copy of message, for older clients' }),
    __metadata("design:type", String)
], ErrorEnvelopeDto.prototype, "detail", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: [ErrorDetailDto] }),
    __metadata("design:type", Array)
], ErrorEnvelopeDto.prototype, "details", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: '3f1c2a9e-8d0b-4f4e-9a57-0c1d2e3f4a5b' }),
    __metadata("design:type", String)
], ErrorEnvelopeDto.prototype, "request_id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: '2026-01-01T10:30:00.000Z' }),
    __metadata("design:type", String)
], ErrorEnvelopeDto.prototype, "timestamp", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ example: 12, description: 'Seconds until a retry may succeed (429 only)' }),
    __metadata("design:type", Number)
], ErrorEnvelopeDto.prototype, "retry_after", void 0);
//# sourceMappingURL=error-envelope.dto.js.map