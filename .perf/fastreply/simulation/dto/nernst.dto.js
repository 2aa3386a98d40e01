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
exports.NernstResponseDto = exports.NernstRequestDto = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
/*
 * class-validator checks a property's decorators bottom-up and the pipe stops at the first
 * failure, so the type check sits lowest: a wrong type reports "must be a finite number", not a
 * range message.
 */
const FINITE = { allowNaN: false, allowInfinity: false };
const FINITE_MESSAGE = { message: '$property must be a finite number' };
class NernstRequestDto {
    z_valence = 1;
    concentration_out_molar;
    concentration_in_molar;
    temperature_k = 310.0;
}
exports.NernstRequestDto = NernstRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Ion valence z', type: 'integer', minimum: 1, maximum: 3, default: 1, required: false }),
    (0, class_validator_1.Max)(3),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.IsInt)({ message: '$property must be an integer' }),
    __metadata("design:type", Number)
], NernstRequestDto.prototype, "z_valence", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Extracellular concentration in mol/L (> 0)', example: 0.005, exclusiveMinimum: true, minimum: 0 }),
    (0, class_validator_1.IsPositive)(),
    (0, class_validator_1.IsNumber)(FINITE, FINITE_MESSAGE),
    (0, class_validator_1.IsDefined)({ message: '$property is required' }),
    __metadata("design:type", Number)
], NernstRequestDto.prototype, "concentration_out_molar", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Intracellular concentration in mol/L (> 0)', example: 0.14, exclusiveMinimum: true, minimum: 0 }),
    (0, class_validator_1.IsPositive)(),
    (0, class_validator_1.IsNumber)(FINITE, FINITE_MESSAGE),
    (0, class_validator_1.IsDefined)({ message: '$property is required' }),
    __metadata("design:type", Number)
], NernstRequestDto.prototype, "concentration_in_molar", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Temperature in kelvin', minimum: 273, maximum: 373, default: 310, required: false }),
    (0, class_validator_1.Max)(373),
    (0, class_validator_1.Min)(273),
    (0, class_validator_1.IsNumber)(FINITE, FINITE_MESSAGE),
    __metadata("design:type", Number)
], NernstRequestDto.prototype, "temperature_k", void 0);
class NernstResponseDto {
    potential_mV;
}
exports.NernstResponseDto = NernstResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Equilibrium potential in millivolts', example: -89.01066911987907 }),
    __metadata("design:type", Number)
], NernstResponseDto.prototype, "potential_mV", void 0);
//# sourceMappingURL=nernst.dto.js.map