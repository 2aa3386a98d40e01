import { ComputeErrors } from './compute-errors';
import type { AggregateTask, SimulateTask, ValidateTask } from './compute-task';
import type { SimulationReport, ValidationReport } from './core';
import { AggregateRequest, AggregateResponseDto, DEFAULT_AGGREGATION_SEED } from './dto/aggregate.dto';
import { SimulateRequestDto, SimulateResponseDto } from './dto/simulate.dto';
import { ValidateRequestDto, ValidateResponseDto } from './dto/validate.dto';
import { toGradientMatrix } from './gradient-input';

/**
 * Request bodies to worker tasks and worker outputs to response bodies, shared by the synchronous
 * routes (SimulationService) and the asynchronous jobs (src/jobs), so both answer alike.
 */

/** A 500 for results that are not finite numbers (they cannot be written as JSON faithfully). */
export function ensureFinite<T extends object>(result: T): T {
  for (const value of Object.values(result)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      throw ComputeErrors.nonFinite();
    }
  }
  return result;
}

export function simulateTaskOf(dto: SimulateRequestDto): SimulateTask {
  return {
    kind: 'simulate',
    params: {
      seed: dto.seed,
      gridSize: dto.grid_size,
      steps: dto.steps,
      alpha: dto.alpha,
      spikeProbability: dto.spike_probability,
      turingEnabled: dto.turing_enabled,
      thresholdMv: dto.threshold_mV,
    },
  };
}

export function simulateResponseOf(output: SimulationReport): SimulateResponseDto {
  return ensureFinite({
    growth_events: output.growthEvents,
    pot_min_mV: output.potMinMv,
    pot_max_mV: output.potMaxMv,
    pot_mean_mV: output.potMeanMv,
    pot_std_mV: output.potStdMv,
    fractal_dimension: output.fractalDimension,
    active_fraction: output.activeFraction,
  });
}

export function validateTaskOf(dto: ValidateRequestDto): ValidateTask {
  return {
    kind: 'validate',
    params: {
      seed: dto.seed,
      epochs: dto.epochs,
      batchSize: dto.batch_size,
      gridSize: dto.grid_size,
      steps: dto.steps,
      turingEnabled: dto.turing_enabled,
      quantumJitter: dto.quantum_jitter,
    },
  };
}

export function validateResponseOf(output: ValidationReport): ValidateResponseDto {
  return ensureFinite({
    loss_start: output.lossStart,
    loss_final: output.lossFinal,
    loss_drop: output.lossDrop,
    pot_min_mV: output.potMinMv,
    pot_max_mV: output.potMaxMv,
    example_fractal_dim: output.exampleFractalDim,
    lyapunov_exponent: output.lyapunovExponent,
    growth_events: output.growthEvents,
    nernst_symbolic_mV: output.nernstSymbolicMv,
    nernst_numeric_mV: output.nernstNumericMv,
  });
}

/** The task (its gradient buffer to transfer) and the number of input gradients. */
export function aggregateTaskOf(dto: AggregateRequest): { task: AggregateTask; rows: number } {
  const matrix = toGradientMatrix(dto.gradients);
  return {
    task: {
      kind: 'aggregate',
      values: matrix.values,
      clients: matrix.rows,
      dimension: matrix.cols,
      numClusters: dto.num_clusters,
      byzantineFraction: dto.byzantine_fraction,
      seed: dto.seed ?? DEFAULT_AGGREGATION_SEED,
    },
    rows: matrix.rows,
  };
}

export function aggregateResponseOf(output: Float32Array, rows: number): AggregateResponseDto {
  return ensureFinite({ aggregated_gradient: Array.from(output), num_input_gradients: rows });
}
