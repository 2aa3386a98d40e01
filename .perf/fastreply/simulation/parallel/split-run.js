"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SplitRunError = exports.CONTROL_WORDS = void 0;
exports.sharedFloat64 = sharedFloat64;
exports.newControl = newControl;
exports.abandon = abandon;
exports.stepSide = stepSide;
const core_1 = require("../core");
/**
 * A planned field run split by rows between two threads that share its buffers. Each thread
 * steps its half of the rows; a barrier ends every step (the next step reads rows the other
 * thread wrote). Results are bit-identical to one thread stepping all rows.
 *
 * Control words (Int32Array over a SharedArrayBuffer): arrivals at the barrier, the barrier
 * generation, and a failure flag either side sets so the other stops waiting.
 */
const ARRIVED = 0;
const GENERATION = 1;
const FAILED = 2;
exports.CONTROL_WORDS = 3;
/** Per-thread ranges slot: minA, maxA, minH, maxH. */
const RANGE_WORDS = 4;
/**
 * How long the barrier spins before sleeping. Both halves run at once and usually arrive within
 * a fraction of a millisecond of each other; waking a sleeping thread costs tens to hundreds of
 * microseconds on a virtual machine, about as much as a step, so a short spin roughly halves the
 * overhead. Splits only happen when nothing else computes, so the spin steals no work.
 */
const SPIN_NS = 1000000n;
class SplitRunError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SplitRunError';
    }
}
exports.SplitRunError = SplitRunError;
function sharedFloat64(length) {
    return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}
function newControl() {
    return {
        control: new Int32Array(new SharedArrayBuffer(exports.CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT)),
        ranges: sharedFloat64(2 * RANGE_WORDS),
    };
}
function barrier(control, timeoutMs) {
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === 1) {
        Atomics.store(control, ARRIVED, 0);
        Atomics.add(control, GENERATION, 1);
        Atomics.notify(control, GENERATION);
        return;
    }
    const spinUntil = process.hrtime.bigint() + SPIN_NS;
    for (let i = 1;; i++) {
        if (Atomics.load(control, GENERATION) !== generation)
            return;
        if ((i & 255) === 0 && process.hrtime.bigint() > spinUntil)
            break;
    }
    while (Atomics.load(control, GENERATION) === generation) {
        if (Atomics.load(control, FAILED) !== 0)
            throw new SplitRunError('the other half of the run failed');
        if (Atomics.wait(control, GENERATION, generation, timeoutMs) === 'timed-out' && Atomics.load(control, GENERATION) === generation) {
            throw new SplitRunError('the other half of the run stalled');
        }
    }
}
/** Marks the run failed and wakes the other side. */
function abandon(control) {
    Atomics.store(control, FAILED, 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
}
function readBounds(ranges, side) {
    const o = side * RANGE_WORDS;
    return { minA: ranges[o], maxA: ranges[o + 1], minH: ranges[o + 2], maxH: ranges[o + 3] };
}
/** Steps one side's rows through every step of the run; returns this side's stepper (its `field` is the result). */
function stepSide(job) {
    const stepper = new core_1.FieldStepper(job, job.buffers);
    const own = job.side * RANGE_WORDS;
    try {
        for (let t = 0; t < job.params.steps; t++) {
            const check = stepper.isHorizonCheck(t);
            stepper.stepRows(t, job.rowStart, job.rowEnd, check);
            if (check) {
                const b = stepper.rowBounds;
                job.ranges[own] = b.minA;
                job.ranges[own + 1] = b.maxA;
                job.ranges[own + 2] = b.minH;
                job.ranges[own + 3] = b.maxH;
            }
            barrier(job.control, job.barrierTimeoutMs);
            stepper.finishStep(t, check ? (0, core_1.combineBounds)([readBounds(job.ranges, 0), readBounds(job.ranges, 1)]) : undefined);
        }
    }
    catch (err) {
        abandon(job.control);
        throw err;
    }
    return stepper;
}
//# sourceMappingURL=split-run.js.map