"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SIMULATION_REQUEST = void 0;
exports.runSimulation = runSimulation;
exports.simulationRequestOf = simulationRequestOf;
exports.fieldParamsOf = fieldParamsOf;
exports.reportSimulation = reportSimulation;
const constants_1 = require("./constants");
const field_simulation_1 = require("./field-simulation");
const field_summary_1 = require("./field-summary");
const prng_1 = require("./prng");
exports.DEFAULT_SIMULATION_REQUEST = Object.freeze({
    seed: 42,
    gridSize: field_simulation_1.DEFAULT_FIELD_SIMULATION.gridSize,
    steps: field_simulation_1.DEFAULT_FIELD_SIMULATION.steps,
    alpha: field_simulation_1.DEFAULT_FIELD_SIMULATION.alpha,
    spikeProbability: field_simulation_1.DEFAULT_FIELD_SIMULATION.spikeProbability,
    turingEnabled: true,
    thresholdMv: constants_1.ACTIVE_THRESHOLD_V * 1000,
});
function runSimulation(options = {}) {
    const req = simulationRequestOf(options);
    const { field, gridSize, growthEvents } = (0, field_simulation_1.simulateField)(fieldParamsOf(req), (0, prng_1.createRng)(req.seed));
    return reportSimulation(req, field, gridSize, growthEvents);
}
function simulationRequestOf(options) {
    return { ...exports.DEFAULT_SIMULATION_REQUEST, ...options };
}
/** The field-simulation parameters of a /simulate request (jitter off, default threshold). */
function fieldParamsOf(req) {
    return {
        gridSize: req.gridSize,
        steps: req.steps,
        alpha: req.alpha,
        spikeProbability: req.spikeProbability,
        turingEnabled: req.turingEnabled,
        quantumJitter: false,
    };
}
/** The statistics /simulate reports for a final field, in millivolts. */
function reportSimulation(req, field, gridSize, growthEvents) {
    // The threshold is compared in volts, like the reference's V > -0.060.
    const s = (0, field_summary_1.summariseField)(field, gridSize, req.thresholdMv / 1000);
    return {
        growthEvents,
        potMinMv: s.minV * 1000,
        potMaxMv: s.maxV * 1000,
        potMeanMv: s.meanV * 1000,
        potStdMv: s.stdV * 1000,
        fractalDimension: s.fractalDimension,
        activeFraction: s.activeFraction,
    };
}
//# sourceMappingURL=simulation-run.js.map