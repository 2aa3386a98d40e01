"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SimulationModule = void 0;
const common_1 = require("@nestjs/common");
const compute_pool_service_1 = require("./compute-pool.service");
const simulation_controller_1 = require("./simulation.controller");
const simulation_service_1 = require("./simulation.service");
/**
 * The compute API (/nernst, /simulate, /validate, /federated/aggregate): controllers and
 * services over the pure numerical core in ./core, with the iterative work on a worker pool.
 */
let SimulationModule = class SimulationModule {
};
exports.SimulationModule = SimulationModule;
exports.SimulationModule = SimulationModule = __decorate([
    (0, common_1.Module)({
        controllers: [simulation_controller_1.SimulationController],
        providers: [simulation_service_1.SimulationService, compute_pool_service_1.ComputePoolService],
        exports: [compute_pool_service_1.ComputePoolService],
    })
], SimulationModule);
//# sourceMappingURL=simulation.module.js.map