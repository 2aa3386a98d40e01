import {
  FieldRunPlan,
  FieldStepBuffers,
  FieldStepper,
  TuringBounds,
  combineBounds,
} from '../core';

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
export const CONTROL_WORDS = 3;
/** Per-thread ranges slot: minA, maxA, minH, maxH. */
const RANGE_WORDS = 4;
/**
 * How long the barrier spins before sleeping. Both halves run at once and usually arrive within
 * a fraction of a millisecond of each other; waking a sleeping thread costs tens to hundreds of
 * microseconds on a virtual machine, about as much as a step, so a short spin roughly halves the
 * overhead. Splits only happen when nothing else computes, so the spin steals no work.
 */
const SPIN_NS = 1_000_000n;

/** What each side steps: the plan (its arrays over shared memory) and the coordination state. */
export interface SplitRunJob extends FieldRunPlan {
  buffers: FieldStepBuffers;
  control: Int32Array;
  ranges: Float64Array;
  /** The rows this side steps: [start, end). */
  rowStart: number;
  rowEnd: number;
  /** 0 = the thread that planned the run, 1 = the partner. */
  side: 0 | 1;
  /** Longest wait at one barrier before giving up (the other side died or stalled). */
  barrierTimeoutMs: number;
}

export class SplitRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitRunError';
  }
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function newControl(): { control: Int32Array; ranges: Float64Array } {
  return {
    control: new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT)),
    ranges: sharedFloat64(2 * RANGE_WORDS),
  };
}

function barrier(control: Int32Array, timeoutMs: number): void {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.add(control, ARRIVED, 1) === 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return;
  }
  const spinUntil = process.hrtime.bigint() + SPIN_NS;
  for (let i = 1; ; i++) {
    if (Atomics.load(control, GENERATION) !== generation) return;
    if ((i & 255) === 0 && process.hrtime.bigint() > spinUntil) break;
  }
  while (Atomics.load(control, GENERATION) === generation) {
    if (Atomics.load(control, FAILED) !== 0) throw new SplitRunError('the other half of the run failed');
    if (Atomics.wait(control, GENERATION, generation, timeoutMs) === 'timed-out' && Atomics.load(control, GENERATION) === generation) {
      throw new SplitRunError('the other half of the run stalled');
    }
  }
}

/** Marks the run failed and wakes the other side. */
export function abandon(control: Int32Array): void {
  Atomics.store(control, FAILED, 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}

function readBounds(ranges: Float64Array, side: number): TuringBounds {
  const o = side * RANGE_WORDS;
  return { minA: ranges[o], maxA: ranges[o + 1], minH: ranges[o + 2], maxH: ranges[o + 3] };
}

/** Steps one side's rows through every step of the run; returns this side's stepper (its `field` is the result). */
export function stepSide(job: SplitRunJob): FieldStepper {
  const stepper = new FieldStepper(job, job.buffers);
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
      stepper.finishStep(t, check ? combineBounds([readBounds(job.ranges, 0), readBounds(job.ranges, 1)]) : undefined);
    }
  } catch (err) {
    abandon(job.control);
    throw err;
  }
  return stepper;
}
