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
exports.SimulationController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const require_roles_decorator_1 = require("../auth/require-roles.decorator");
const roles_1 = require("../auth/roles");
const common_2 = require("../common");
const client_abort_decorator_1 = require("./client-abort.decorator");
const aggregate_body_pipe_1 = require("./aggregate-body.pipe");
const aggregate_dto_1 = require("./dto/aggregate.dto");
const nernst_dto_1 = require("./dto/nernst.dto");
const simulate_dto_1 = require("./dto/simulate.dto");
const validate_dto_1 = require("./dto/validate.dto");
const simulation_service_1 = require("./simulation.service");
let SimulationController = class SimulationController {
    simulation;
    constructor(simulation) {
        this.simulation = simulation;
    }
    nernst(body) {
        return this.simulation.nernst(body);
    }
    simulate(body, request) {
        return this.simulation.simulate(body, request);
    }
    validate(body, request) {
        return this.simulation.validate(body, request);
    }
    aggregate(body, request) {
        return this.simulation.aggregate(body, request);
    }
};
exports.SimulationController = SimulationController;
__decorate([
    (0, common_1.Post)('nernst'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.COMPUTE),
    (0, swagger_1.ApiOperation)({ summary: 'Nernst equilibrium potential of an ion' }),
    (0, swagger_1.ApiOkResponse)({ type: nernst_dto_1.NernstResponseDto }),
    (0, common_2.ApiErrorResponses)(),
    __param(0, (0, common_1.Body)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [nernst_dto_1.NernstRequestDto]),
    __metadata("design:returntype", nernst_dto_1.NernstResponseDto)
], SimulationController.prototype, "nernst", null);
__decorate([
    (0, common_1.Post)('simulate'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.COMPUTE),
    (0, swagger_1.ApiOperation)({ summary: 'Simulate the potential field and measure its fractal dimension (runs on a worker thread)' }),
    (0, swagger_1.ApiOkResponse)({ type: simulate_dto_1.SimulateResponseDto }),
    (0, common_2.ApiErrorResponses)(503, 504),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, client_abort_decorator_1.ComputeRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [simulate_dto_1.SimulateRequestDto, Object]),
    __metadata("design:returntype", Promise)
], SimulationController.prototype, "simulate", null);
__decorate([
    (0, common_1.Post)('validate'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.COMPUTE),
    (0, swagger_1.ApiOperation)({ summary: 'Run the training/validation cycle (runs on a worker thread)' }),
    (0, swagger_1.ApiOkResponse)({ type: validate_dto_1.ValidateResponseDto }),
    (0, common_2.ApiErrorResponses)(503, 504),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, client_abort_decorator_1.ComputeRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [validate_dto_1.ValidateRequestDto, Object]),
    __metadata("design:returntype", Promise)
], SimulationController.prototype, "validate", null);
__decorate([
    (0, common_1.Post)('federated/aggregate'),
    (0, common_1.HttpCode)(200),
    (0, require_roles_decorator_1.RequireRoles)(roles_1.Role.COMPUTE),
    (0, swagger_1.ApiOperation)({ summary: 'Byzantine-robust hierarchical Krum aggregation (runs on a worker thread)' }),
    (0, swagger_1.ApiBody)({ type: aggregate_dto_1.AggregateRequestDto }),
    (0, swagger_1.ApiOkResponse)({ type: aggregate_dto_1.AggregateResponseDto }),
    (0, common_2.ApiErrorResponses)(503, 504),
    __param(0, (0, common_1.Body)(aggregate_body_pipe_1.AggregateBodyPipe)),
    __param(1, (0, client_abort_decorator_1.ComputeRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], SimulationController.prototype, "aggregate", null);
exports.SimulationController = SimulationController = __decorate([
    (0, swagger_1.ApiTags)('compute'),
    (0, common_1.Controller)(),
    __metadata("design:paramtypes", [simulation_service_1.SimulationService])
], SimulationController);
//# sourceMappingURL=simulation.controller.js.map