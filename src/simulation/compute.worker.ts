import { performance } from 'node:perf_hooks';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { RNG_STREAM, aggregateHierarchical, createRng, runSimulation, runValidationCycle } from './core';
import type { ComputeTask, ComputeTaskResult } from './compute-task';
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
    case 'simulate':
      return { kind: 'simulate', output: runSimulation(task.params), seconds: seconds(), trace };
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
