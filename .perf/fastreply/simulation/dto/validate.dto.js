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
exports.ValidateResponseDto = exports.ValidateRequestDto = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const simulate_dto_1 = require("./simulate.dto");
class ValidateRequestDto {
    seed = 42;
    epochs = 1;
    batch_size = 4;
    grid_size = 64;
    steps = 64;
    turing_enabled = true;
    quantum_jitter = false;
}
exports.ValidateRequestDto = ValidateRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Random seed (same seed, same response)', type: 'integer', minimum: 0, maximum: simulate_dto_1.MAX_SEED, default: 42, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(simulate_dto_1.MAX_SEED),
    __metadata("design:type", Number)
], ValidateRequestDto.prototype, "seed", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Training epochs over the 16 samples', type: 'integer', minimum: 1, maximum: 100, default: 1, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(100),
    __metadata("design:type", Number)
], ValidateRequestDto.prototype, "epochs", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Mini-batch size', type: 'integer', minimum: 1, maximum: 64, default: 4, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(64),
    __metadata("design:type", Number)
], ValidateRequestDto.prototype, "batch_size", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Grid edge of each simulated field', type: 'integer', minimum: 8, maximum: 256, default: 64, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(8),
    (0, class_validator_1.Max)(256),
    __metadata("design:type", Number)
], ValidateRequestDto.prototype, "grid_size", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Time steps of each simulated field', type: 'integer', minimum: 1, maximum: 1000, default: 64, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], ValidateRequestDto.prototype, "steps", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Run the activator/inhibitor pair', default: true, required: false }),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], ValidateRequestDto.prototype, "turing_enabled", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Add N(0, 0.0005 V^2) noise to every cell each step (dominates the field)', default: false, required: false }),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], ValidateRequestDto.prototype, "quantum_jitter", void 0);
class ValidateResponseDto {
    loss_start;
    loss_final;
    loss_drop;
    pot_min_mV;
    pot_max_mV;
    example_fractal_dim;
    lyapunov_exponent;
    growth_events;
    nernst_symbolic_mV;
    nernst_numeric_mV;
}
exports.ValidateResponseDto = ValidateResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Loss of the first batch, before its update', example: 2.22 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "loss_start", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Loss of the last batch, before its update', example: 1.8 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "loss_final", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'loss_start - loss_final (may be negative)', example: 0.42 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "loss_drop", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Lowest potential over the 16 training fields (mV)', example: -71.0 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "pot_min_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Highest potential over the 16 training fields (mV)', example: -62.9 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "pot_max_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Box-counting dimension of the example field', example: 0 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "example_fractal_dim", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Mean log area contraction of one IFS run', example: -2.17 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "lyapunov_exponent", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Growth events of the example field', example: 16 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "growth_events", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Nernst potential of K+ at 310 K, symbolic evaluation (constant)', example: -89.01066911987905 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "nernst_symbolic_mV", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Nernst potential of K+ at 310 K, numeric evaluation (constant)', example: -89.01066911987907 }),
    __metadata("design:type", Number)
], ValidateResponseDto.prototype, "nernst_numeric_mV", void 0);
//# sourceMappingURL=validate.dto.js.map