import { performance } from 'node:perf_hooks';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { RNG_STREAM, aggregateHierarchical, createRng, runSimulation, runValidationCycle, summariseField } from './core';
import type { FieldStepHook } from './core';
import type { ComputeTask, ComputeTaskResult, ProgressPortMessage, SimulateTask } from './compute-task';
import { lowerThreadPriority } from './thread-priority';

/**
 * Worker-thread entry of the compute pool: runs one task of the numerical core and returns its
 * result. Loaded by piscina from the compiled file (dist/simulation/compute.worker.js). Anything
 * thrown here reaches the pool as a failed task; the thread itself survives.
 */
lowerThreadPriority();

/** A result whose gradient buffer is transferred back instead of copied. */
class TransferredResult {
  constructor(
    private readonly result: ComputeTaskResult,
    private readonly buffers: ArrayBuffer[],
  ) {}

  get [transferableSymbol](): ArrayBuffer[] {
    return this.buffers;
  }

  get [valueSymbol](): ComputeTaskResult {
    return this.result;
  }
}

export function runComputeTask(task: ComputeTask): ComputeTaskResult | ReturnType<typeof move> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  // A traced task: the thread reports back the parent it was given and its start time.
  const trace = task.traceparent === undefined ? undefined : { traceparent: task.traceparent, startedAtMs: performance.timeOrigin + started };
  switch (task.kind) {
    case 'simulate': {
      const output = runSimulation(task.params, progressHook(task));
      task.progressPort?.postMessage({ type: 'end' } satisfies ProgressPortMessage);
      return { kind: 'simulate', output, seconds: seconds(), trace };
    }
    case 'validate':
      return { kind: 'validate', output: runValidationCycle(task.params), seconds: seconds(), trace };
    case 'aggregate': {
      const { gradient } = aggregateHierarchical(
        { values: task.values, rows: task.clients, cols: task.dimension },
        { numClusters: task.numClusters, byzantineFraction: task.byzantineFraction, rng: createRng(task.seed, RNG_STREAM.AGGREGATE) },
      );
      const result: ComputeTaskResult<'aggregate'> = { kind: 'aggregate', output: gradient, seconds: seconds(), trace };
      return move(new TransferredResult(result, [gradient.buffer as ArrayBuffer]));
    }
    default:
      throw new TypeError('unknown compute task kind');
  }
}

/** The per-step hook that posts a SimulateProgress every `progressEvery` steps and on the last one. */
function progressHook(task: SimulateTask): FieldStepHook | undefined {
  const port = task.progressPort;
  if (port === undefined) return undefined;
  const every = Math.max(1, Math.floor(task.progressEvery ?? 1));
  const total = task.params.steps;
  const thresholdV = task.params.thresholdMv / 1000;
  return (step, field, growthEvents) => {
    if (step % every !== 0 && step !== total) return;
    const s = summariseField(field, task.params.gridSize, thresholdV);
    let energy = 0;
    for (const x of field) energy += x * x;
    const message: ProgressPortMessage = {
      type: 'progress',
      progress: {
        kind: 'simulate',
        step,
        totalSteps: total,
        growthEvents,
        potMeanMv: s.meanV * 1000,
        potStdMv: s.stdV * 1000,
        potMinMv: s.minV * 1000,
        potMaxMv: s.maxV * 1000,
        activeCells: s.activeCells,
        activityRatio: s.activeFraction,
        fractalDimension: s.fractalDimension,
        totalEnergy: energy * 1e6,
        spatialVariance: s.stdV * s.stdV * 1e6,
        gridSize: task.params.gridSize,
      },
    };
    port.postMessage(message);
  };
}
