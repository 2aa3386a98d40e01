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
exports.AggregateResponseDto = exports.AggregateRequestDto = exports.AggregateOptionsDto = exports.BYZANTINE_FRACTION_LIMIT = exports.DEFAULT_AGGREGATION_SEED = void 0;
exports.gradientStructureProblem = gradientStructureProblem;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const simulate_dto_1 = require("./simulate.dto");
/** Default seed of the cluster assignment, so identical requests give identical answers. */
exports.DEFAULT_AGGREGATION_SEED = 42;
/** Largest accepted byzantine_fraction is just below 0.5 (the aggregator needs < 0.5). */
exports.BYZANTINE_FRACTION_LIMIT = 0.5;
/**
 * Why `gradients` is not an array of arrays of JSON numbers, or undefined when it is. Only the
 * structure: emptiness, equal lengths, finiteness and size bounds are checked afterwards
 * (400/413, see gradient-input.ts). A plain loop, because gradients can hold 2,000,000 values.
 */
function gradientStructureProblem(value) {
    if (value === undefined || value === null)
        return 'gradients is required';
    if (!Array.isArray(value))
        return 'gradients must be an array of arrays of numbers';
    for (const row of value) {
        if (!Array.isArray(row))
            return 'gradients must be an array of arrays of numbers';
        for (let j = 0; j < row.length; j++)
            if (typeof row[j] !== 'number')
                return 'gradients must contain only numbers';
    }
    return undefined;
}
/** Exclusive upper bound (class-validator's @Max is inclusive). */
function IsBelow(limit, options) {
    return (target, propertyName) => (0, class_validator_1.registerDecorator)({
        name: 'isBelow',
        target: target.constructor,
        propertyName: propertyName,
        constraints: [limit],
        options: { message: (args) => `${args.property} must be less than ${limit}`, ...options },
        validator: {
            validate: (value) => typeof value === 'number' && value < limit,
        },
    });
}
/** The scalar fields, validated by the standard pipe (see AggregateBodyPipe). */
class AggregateOptionsDto {
    num_clusters = 10;
    byzantine_fraction = 0.2;
    seed;
}
exports.AggregateOptionsDto = AggregateOptionsDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Level-1 clusters (capped at the number of clients)', type: 'integer', minimum: 1, maximum: 1000, default: 10, required: false }),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(1000),
    __metadata("design:type", Number)
], AggregateOptionsDto.prototype, "num_clusters", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Assumed share of Byzantine clients, 0 <= f < 0.5', minimum: 0, exclusiveMaximum: true, maximum: 0.5, default: 0.2, required: false }),
    (0, class_validator_1.IsNumber)(simulate_dto_1.FINITE),
    (0, class_validator_1.Min)(0),
    IsBelow(exports.BYZANTINE_FRACTION_LIMIT),
    __metadata("design:type", Number)
], AggregateOptionsDto.prototype, "byzantine_fraction", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        description: `Seed of the random cluster assignment (default ${exports.DEFAULT_AGGREGATION_SEED}: identical requests give identical answers)`,
        type: 'integer',
        minimum: 0,
        maximum: simulate_dto_1.MAX_SEED,
        default: exports.DEFAULT_AGGREGATION_SEED,
        required: false,
    }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(simulate_dto_1.MAX_SEED),
    __metadata("design:type", Number)
], AggregateOptionsDto.prototype, "seed", void 0);
/** The whole body, for the API documentation. */
class AggregateRequestDto extends AggregateOptionsDto {
    gradients;
}
exports.AggregateRequestDto = AggregateRequestDto;
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'One gradient per client, all of the same length; values are rounded to float32. At least one row, at most ' +
            '10,000 rows and 2,000,000 values in total (body limit MFN_AGGREGATE_MAX_BYTES, 8 MB by default)',
        type: 'array',
        items: { type: 'array', items: { type: 'number' } },
        example: [
            [1, 2],
            [1.1, 2.1],
            [1.2, 2.2],
        ],
    }),
    __metadata("design:type", Array)
], AggregateRequestDto.prototype, "gradients", void 0);
class AggregateResponseDto {
    aggregated_gradient;
    num_input_gradients;
}
exports.AggregateResponseDto = AggregateResponseDto;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Aggregated gradient (float32 values)', type: [Number], example: [1, 2] }),
    __metadata("design:type", Array)
], AggregateResponseDto.prototype, "aggregated_gradient", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Number of gradients received', type: 'integer', example: 3 }),
    __metadata("design:type", Number)
], AggregateResponseDto.prototype, "num_input_gradients", void 0);
//# sourceMappingURL=aggregate.dto.js.map