"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runComputeTask = runComputeTask;
const node_perf_hooks_1 = require("node:perf_hooks");
const piscina_1 = require("piscina");
const core_1 = require("./core");
const split_simulation_1 = require("./parallel/split-simulation");
const thread_priority_1 = require("./thread-priority");
/**
 * Worker-thread entry of the compute pool: runs one task of the numerical core and returns its
 * result. Loaded by piscina from the compiled file (dist/simulation/compute.worker.js). Anything
 * thrown here reaches the pool as a failed task; the thread itself survives.
 */
(0, thread_priority_1.lowerThreadPriority)();
/** A result whose gradient buffer is transferred back instead of copied. */
class TransferredResult {
    result;
    buffers;
    constructor(result, buffers) {
        this.result = result;
        this.buffers = buffers;
    }
    get [piscina_1.transferableSymbol]() {
        return this.buffers;
    }
    get [piscina_1.valueSymbol]() {
        return this.result;
    }
}
function runComputeTask(task) {
    const started = node_perf_hooks_1.performance.now();
    const seconds = () => (node_perf_hooks_1.performance.now() - started) / 1000;
    switch (task.kind) {
        case 'simulate':
            return { kind: 'simulate', output: task.split ? (0, split_simulation_1.runSimulationSplit)(task.params) : (0, core_1.runSimulation)(task.params), seconds: seconds() };
        case 'validate':
            return { kind: 'validate', output: (0, core_1.runValidationCycle)(task.params), seconds: seconds() };
        case 'aggregate': {
            const { gradient } = (0, core_1.aggregateHierarchical)({ values: task.values, rows: task.clients, cols: task.dimension }, { numClusters: task.numClusters, byzantineFraction: task.byzantineFraction, rng: (0, core_1.createRng)(task.seed, core_1.RNG_STREAM.AGGREGATE) });
            const result = { kind: 'aggregate', output: gradient, seconds: seconds() };
            return (0, piscina_1.move)(new TransferredResult(result, [gradient.buffer]));
        }
        default:
            throw new TypeError('unknown compute task kind');
    }
}
//# sourceMappingURL=compute.worker.js.map