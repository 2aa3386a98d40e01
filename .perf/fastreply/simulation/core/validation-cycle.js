"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NERNST_SYMBOLIC_K_MV = exports.VALIDATION_SAMPLES = exports.DEFAULT_VALIDATION = void 0;
exports.buildValidationDataset = buildValidationDataset;
exports.trainNetwork = trainNetwork;
exports.runValidationCycle = runValidationCycle;
const adam_1 = require("./adam");
const box_counting_1 = require("./box-counting");
const constants_1 = require("./constants");
const field_summary_1 = require("./field-summary");
const field_simulation_1 = require("./field-simulation");
const ifs_1 = require("./ifs");
const nernst_1 = require("./nernst");
const network_1 = require("./network");
const prng_1 = require("./prng");
exports.DEFAULT_VALIDATION = Object.freeze({
    seed: 42,
    epochs: 1,
    batchSize: 4,
    gridSize: 64,
    steps: 64,
    turingEnabled: true,
    quantumJitter: false,
});
exports.VALIDATION_SAMPLES = 16;
/** From symbolic evaluation in the reference; reported verbatim. */
exports.NERNST_SYMBOLIC_K_MV = -89.01066911987905;
function checkConfig(c) {
    const int = (name, v, min) => {
        if (!Number.isInteger(v) || v < min)
            throw new RangeError(`${name} must be an integer >= ${min}`);
    };
    int('seed', c.seed, 0);
    int('epochs', c.epochs, 1);
    int('batchSize', c.batchSize, 1);
    int('gridSize', c.gridSize, 1);
    int('steps', c.steps, 0);
}
const f32 = Math.fround;
const HALF = f32(0.5);
const FIFTH = f32(0.2);
const TENTH = f32(0.1);
const HUNDRED = f32(100);
/** Builds the 16 samples from one generator: per sample a field simulation, then an IFS run. */
function buildValidationDataset(config, rng) {
    const features = new Float32Array(exports.VALIDATION_SAMPLES * 4);
    const targets = new Float32Array(exports.VALIDATION_SAMPLES);
    let potMin = Infinity;
    let potMax = -Infinity;
    let lyapunovSum = 0;
    for (let s = 0; s < exports.VALIDATION_SAMPLES; s++) {
        const { field, gridSize } = (0, field_simulation_1.simulateField)({
            gridSize: config.gridSize,
            steps: config.steps,
            alpha: constants_1.DEFAULT_ALPHA,
            spikeProbability: constants_1.DEFAULT_SPIKE_PROBABILITY,
            turingEnabled: config.turingEnabled,
            quantumJitter: config.quantumJitter,
        }, rng);
        const summary = (0, field_summary_1.summariseField)(field, gridSize, constants_1.ACTIVE_THRESHOLD_V);
        potMin = Math.min(potMin, summary.minV);
        potMax = Math.max(potMax, summary.maxV);
        const d = f32(summary.fractalDimension);
        const mean100 = f32(f32(summary.meanV) * HUNDRED);
        const std100 = f32(f32(summary.stdV) * HUNDRED);
        const max100 = f32(f32(summary.maxV) * HUNDRED);
        features.set([d, mean100, std100, max100], s * 4);
        targets[s] = f32(f32(f32(HALF * d) + f32(FIFTH * mean100)) - f32(TENTH * std100));
        lyapunovSum += (0, ifs_1.generateIfs)(rng, constants_1.VALIDATION_IFS_POINTS, constants_1.IFS_TRANSFORMS).lyapunov;
    }
    return { features, targets, potMinV: potMin, potMaxV: potMax, lyapunovMean: lyapunovSum / exports.VALIDATION_SAMPLES };
}
/**
 * Trains on the dataset: per epoch a fresh permutation, consecutive batches (the last may be
 * smaller), and for each batch the loss before its Adam step. Returns every recorded loss.
 */
function trainNetwork(network, dataset, epochs, batchSize, shuffleRng) {
    const optimiser = new adam_1.Adam(network.parameters());
    const losses = [];
    const n = dataset.targets.length;
    for (let epoch = 0; epoch < epochs; epoch++) {
        const order = (0, prng_1.permutation)(n, shuffleRng);
        for (let start = 0; start < n; start += batchSize) {
            const rows = order.subarray(start, Math.min(start + batchSize, n));
            const x = new Float32Array(rows.length * 4);
            const y = new Float32Array(rows.length);
            rows.forEach((row, r) => {
                x.set(dataset.features.subarray(row * 4, row * 4 + 4), r * 4);
                y[r] = dataset.targets[row];
            });
            const cache = network.forward(x, rows.length);
            const { loss, grad } = (0, network_1.mseLoss)(cache.y, y);
            losses.push(loss);
            optimiser.step(network.backward(cache, grad));
        }
    }
    return losses;
}
function runValidationCycle(options = {}) {
    const config = { ...exports.DEFAULT_VALIDATION, ...options };
    checkConfig(config);
    const networkRng = (0, prng_1.createRng)(config.seed, prng_1.RNG_STREAM.NETWORK);
    const network = network_1.MyceliumNetwork.initialised(networkRng);
    const dataset = buildValidationDataset(config, (0, prng_1.createRng)(config.seed, prng_1.RNG_STREAM.MAIN));
    const losses = trainNetwork(network, dataset, config.epochs, config.batchSize, networkRng);
    const exampleRng = (0, prng_1.createRng)(config.seed + 1, prng_1.RNG_STREAM.MAIN);
    const example = (0, field_simulation_1.simulateField)({
        gridSize: config.gridSize,
        steps: config.steps,
        alpha: constants_1.DEFAULT_ALPHA,
        spikeProbability: constants_1.DEFAULT_SPIKE_PROBABILITY,
        turingEnabled: config.turingEnabled,
        quantumJitter: config.quantumJitter,
    }, exampleRng);
    const exampleDim = (0, box_counting_1.fractalDimension)((0, field_summary_1.activeMask)(example.field, constants_1.ACTIVE_THRESHOLD_V), example.gridSize);
    const lyapunov = (0, ifs_1.generateIfs)(exampleRng, constants_1.VALIDATION_IFS_POINTS, constants_1.IFS_TRANSFORMS).lyapunov;
    const lossStart = losses[0];
    const lossFinal = losses[losses.length - 1];
    return {
        lossStart,
        lossFinal,
        lossDrop: lossStart - lossFinal,
        potMinMv: dataset.potMinV * 1000,
        potMaxMv: dataset.potMaxV * 1000,
        exampleFractalDim: exampleDim,
        lyapunovExponent: lyapunov,
        growthEvents: example.growthEvents,
        nernstSymbolicMv: exports.NERNST_SYMBOLIC_K_MV,
        nernstNumericMv: (0, nernst_1.nernstPotential)(1, 0.005, 0.14, 310) * 1000,
    };
}
//# sourceMappingURL=validation-cycle.js.map