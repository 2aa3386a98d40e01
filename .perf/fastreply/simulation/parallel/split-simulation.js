"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolvePartnerFile = resolvePartnerFile;
exports.runSimulationSplit = runSimulationSplit;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_worker_threads_1 = require("node:worker_threads");
const core_1 = require("../core");
const split_run_1 = require("./split-run");
const PARTNER_FILE = 'field-partner.worker.js';
/** Longest wait at one step's barrier: far above a step (~1 ms) and a thread start (~50 ms). */
const BARRIER_TIMEOUT_MS = 5_000;
/** Same heap cap as the pool's threads. */
const PARTNER_HEAP_MB = 256;
/** The compiled partner script: beside this module in dist/, else under <project root>/dist (tests run from sources). */
function resolvePartnerFile(moduleDir = __dirname) {
    const candidates = [(0, node_path_1.join)(moduleDir, PARTNER_FILE), (0, node_path_1.resolve)(moduleDir, '..', '..', '..', 'dist', 'simulation', 'parallel', PARTNER_FILE)];
    const found = candidates.find((file) => (0, node_fs_1.existsSync)(file));
    if (!found)
        throw new Error(`${PARTNER_FILE} not found: run npm run build`);
    return found;
}
/**
 * The partner thread of this compute thread, started on first use and kept. It dies with this
 * thread (the pool replaces a thread after a crash or a cancelled task, partner included).
 */
let partner;
let currentControl;
function partnerThread() {
    if (partner)
        return partner;
    const worker = new node_worker_threads_1.Worker(resolvePartnerFile(), { resourceLimits: { maxOldGenerationSizeMb: PARTNER_HEAP_MB } });
    const drop = () => {
        if (partner === worker)
            partner = undefined;
        // Wake this thread if it is waiting at a barrier for a partner that is gone.
        if (currentControl)
            (0, split_run_1.abandon)(currentControl);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    worker.unref();
    partner = worker;
    return worker;
}
/**
 * /simulate with the field split by rows between this thread and its partner: the same plan,
 * the same arithmetic per cell, so the report is bit-identical to runSimulation's. If the
 * partner fails, the run is repeated on this thread alone (same seed, same answer).
 */
function runSimulationSplit(options) {
    const req = (0, core_1.simulationRequestOf)(options);
    const plan = (0, core_1.planFieldRun)((0, core_1.fieldParamsOf)(req), (0, core_1.createRng)(req.seed), split_run_1.sharedFloat64);
    const n = plan.params.gridSize;
    if (n < 4 || plan.params.steps === 0)
        return (0, core_1.runSimulation)(req);
    const buffers = (0, core_1.allocateStepBuffers)(plan, split_run_1.sharedFloat64);
    const { control, ranges } = (0, split_run_1.newControl)();
    (0, core_1.applyFirstSpike)(plan);
    const half = n >> 1;
    const job = {
        ...plan,
        buffers,
        control,
        ranges,
        barrierTimeoutMs: BARRIER_TIMEOUT_MS,
    };
    currentControl = control;
    try {
        partnerThread().postMessage({ ...job, rowStart: half, rowEnd: n, side: 1 });
        const stepper = (0, split_run_1.stepSide)({ ...job, rowStart: 0, rowEnd: half, side: 0 });
        return (0, core_1.reportSimulation)(req, stepper.field, n, plan.growthEvents);
    }
    catch (err) {
        if (!(err instanceof split_run_1.SplitRunError))
            throw err;
        void partner?.terminate();
        partner = undefined;
        return (0, core_1.runSimulation)(req);
    }
    finally {
        currentControl = undefined;
    }
}
//# sourceMappingURL=split-simulation.js.map