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
exports.SimulationService = void 0;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
const compute_pool_service_1 = require("./compute-pool.service");
const core_1 = require("./core");
const aggregate_dto_1 = require("./dto/aggregate.dto");
const gradient_input_1 = require("./gradient-input");
/** A 500 for results that are not finite numbers (they cannot be written as JSON faithfully). */
function ensureFinite(result) {
    for (const value of Object.values(result)) {
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
            throw new common_2.AppException(common_2.ErrorCode.NUMERICAL_INSTABILITY, 'The computation produced a non-finite result', common_1.HttpStatus.INTERNAL_SERVER_ERROR);
        }
    }
    return result;
}
/** The compute endpoints: request mapping and result checks around the numerical core. */
let SimulationService = class SimulationService {
    pool;
    constructor(pool) {
        this.pool = pool;
    }
    /**
     * Nernst is a closed form costing well under a microsecond, so it runs inline; the iterative
     * workloads go to the worker pool.
     */
    nernst(dto) {
        const volts = (0, core_1.nernstPotential)(dto.z_valence, dto.concentration_out_molar, dto.concentration_in_molar, dto.temperature_k);
        const mV = volts * 1000.0;
        if (!Number.isFinite(mV)) {
            throw new common_2.AppException(common_2.ErrorCode.NUMERICAL_INSTABILITY, 'The potential is not a finite number for these inputs', common_1.HttpStatus.INTERNAL_SERVER_ERROR);
        }
        return { potential_mV: mV };
    }
    async simulate(dto, request) {
        const { output } = await this.pool.run({
            kind: 'simulate',
            params: {
                seed: dto.seed,
                gridSize: dto.grid_size,
                steps: dto.steps,
                alpha: dto.alpha,
                spikeProbability: dto.spike_probability,
                turingEnabled: dto.turing_enabled,
                thresholdMv: dto.threshold_mV,
            },
        }, { signal: request?.signal, requestId: request?.requestId });
        return ensureFinite({
            growth_events: output.growthEvents,
            pot_min_mV: output.potMinMv,
            pot_max_mV: output.potMaxMv,
            pot_mean_mV: output.potMeanMv,
            pot_std_mV: output.potStdMv,
            fractal_dimension: output.fractalDimension,
            active_fraction: output.activeFraction,
        });
    }
    async validate(dto, request) {
        const { output } = await this.pool.run({
            kind: 'validate',
            params: {
                seed: dto.seed,
                epochs: dto.epochs,
                batchSize: dto.batch_size,
                gridSize: dto.grid_size,
                steps: dto.steps,
                turingEnabled: dto.turing_enabled,
                quantumJitter: dto.quantum_jitter,
            },
        }, { signal: request?.signal, requestId: request?.requestId });
        return ensureFinite({
            loss_start: output.lossStart,
            loss_final: output.lossFinal,
            loss_drop: output.lossDrop,
            pot_min_mV: output.potMinMv,
            pot_max_mV: output.potMaxMv,
            example_fractal_dim: output.exampleFractalDim,
            lyapunov_exponent: output.lyapunovExponent,
            growth_events: output.growthEvents,
            nernst_symbolic_mV: output.nernstSymbolicMv,
            nernst_numeric_mV: output.nernstNumericMv,
        });
    }
    async aggregate(dto, request) {
        const matrix = (0, gradient_input_1.toGradientMatrix)(dto.gradients);
        const { output } = await this.pool.run({
            kind: 'aggregate',
            values: matrix.values,
            clients: matrix.rows,
            dimension: matrix.cols,
            numClusters: dto.num_clusters,
            byzantineFraction: dto.byzantine_fraction,
            seed: dto.seed ?? aggregate_dto_1.DEFAULT_AGGREGATION_SEED,
        }, { signal: request?.signal, requestId: request?.requestId, transferList: [matrix.values.buffer] });
        return ensureFinite({ aggregated_gradient: Array.from(output), num_input_gradients: matrix.rows });
    }
};
exports.SimulationService = SimulationService;
exports.SimulationService = SimulationService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [compute_pool_service_1.ComputePoolService])
], SimulationService);
//# sourceMappingURL=simulation.service.js.map