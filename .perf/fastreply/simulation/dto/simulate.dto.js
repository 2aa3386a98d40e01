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
exports.SimulateResponseDto = exports.SimulateRequestDto = exports.MAX_SEED = exports.FINITE = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const core_1 = require("../core");
exports.FINITE = { allowNaN: false, allowInfinity: false };
/** Seeds are unsigned 32-bit integers (SERVICE.md §1.2). */
exports.MAX_SEED = 4294967295;
class SimulateRequestDto {
    seed = 42;
    grid_size = 64;
    steps = 64;
    alpha = 0.18;
    spike_probability = 0.25;
    turing_enabled = true;
    threshold_mV = -60;
}
exports.SimulateRequestDto = SimulateRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Random seed (same seed, same response)', type: 'integer', minimum: 0, maximum: exports.MAX_SEED, default: 42, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(exports.MAX_SEED),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "seed", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Grid edge N (N x N cells)', type: 'integer', minimum: 8, maximum: 256, default: 64, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(8),
    (0, class_validator_1.Max)(256),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "grid_size", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Time steps', type: 'integer', minimum: 1, maximum: 1000, default: 64, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "steps", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'Diffusion coefficient. Values above 0.25 break the explicit scheme\'s stability bound: the field turns into a ' +
            'checkerboard pinned at -95 / +40 mV (accepted for compatibility; see docs/compute.md)',
        minimum: 0,
        maximum: 1,
        default: 0.18,
        required: false,
    }),
    (0, class_validator_1.IsNumber)(exports.FINITE),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(1),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "alpha", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Probability of one growth spike per step', minimum: 0, maximum: 1, default: 0.25, required: false }),
    (0, class_validator_1.IsNumber)(exports.FINITE),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(1),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "spike_probability", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Run the activator/inhibitor pair', default: true, required: false }),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], SimulateRequestDto.prototype, "turing_enabled", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'Cells strictly above this potential (mV) form the mask whose fractal dimension is reported',
        minimum: core_1.FIELD_CLAMP_MIN_V * 1000,
        maximum: core_1.FIELD_CLAMP_MAX_V * 1000,
        default: -60,
        required: false,
    }),
    (0, class_validator_1.IsNumber)(exports.FINITE),
    (0, class_validator_1.Min)(core_1.FIELD_CLAMP_MIN_V * 1000),
    (0, class_validator_1.Max)(core_1.FIELD_CLAMP_MAX_V * 1000),
    __metadata("design:type", Number)
], SimulateRequestDto.prototype, "threshold_mV", void 0);
class SimulateResponseDto {
    growth_events;
    pot_min_mV;
    pot_max_mV;
    pot_mean_mV;
    pot_std_mV;
    fractal_dimension;
    active_fraction;
}
exports.SimulateResponseDto = SimulateResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Steps in which a growth spike was injected', type: 'integer', example: 16 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "growth_events", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Lowest potential (mV)', example: -70.7 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "pot_min_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Highest potential (mV)', example: -66.8 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "pot_max_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Mean potential (mV)', example: -69.92 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "pot_mean_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Population standard deviation of the potential (mV)', example: 0.33 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "pot_std_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Box-counting dimension of the cells above the threshold (0 with fewer than two occupied scales)', example: 0 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "fractal_dimension", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Share of cells above the threshold (explains a dimension of 0)', example: 0 }),
    __metadata("design:type", Number)
], SimulateResponseDto.prototype, "active_fraction", void 0);
//# sourceMappingURL=simulate.dto.js.map