import type { ComputeTask } from './compute-task';
import { DEFAULT_SAMPLE_FRACTION, SAMPLING_THRESHOLD, VALIDATION_SAMPLES } from './core';

/**
 * Work units: what a compute request spends from its caller's work budget (MFN_COMPUTE_WORK_LIMIT
 * per MFN_RATE_LIMIT_WINDOW). One unit is about 5 ms of one worker thread (2 to 10 ms by kind
 * and parameters, measured on the compiled core: see "Fair compute" in docs/security.md), so the
 * cost of a request follows its run time instead of one token for an 8 x 8 x 1 simulation and
 * for a validation of most of a minute alike. Every request costs at least 1 unit.
 */

/** Field simulation: one unit per million cell-steps (grid_size^2 x steps), ≈ 4 ns each without the activator pair, ≈ 10 ns with it over a long run. */
export const CELL_STEPS_PER_UNIT = 1_000_000;
/** quantum_jitter draws a normal for every cell and step: ≈ 49 ns per cell-step, ten plain ones. */
export const JITTER_WEIGHT = 10;
/** The validation cycle simulates its 16 training samples and one example field. */
export const VALIDATION_FIELDS = VALIDATION_SAMPLES + 1;
/** Training: an Adam step of the small network costs ≈ 1.25 ms whatever the batch size (1..16 rows). */
export const BATCH_STEPS_PER_UNIT = 4;
/** Krum: one unit per 2.5 million coordinates of pairwise distances, ≈ 2 ns each. */
export const DISTANCE_VALUES_PER_UNIT = 2_500_000;
export const MIN_COST = 1;

function units(work: number): number {
  return Math.max(MIN_COST, Math.ceil(work));
}

/** /simulate: grid_size^2 x steps cell-steps. */
export function simulateCost(gridSize: number, steps: number): number {
  return units((gridSize * gridSize * steps) / CELL_STEPS_PER_UNIT);
}

export interface ValidateCostParams {
  gridSize: number;
  steps: number;
  epochs: number;
  batchSize: number;
  quantumJitter: boolean;
}

/**
 * /validate: 17 fields of grid_size^2 x steps cell-steps (ten times heavier with jitter), plus
 * epochs x ceil(16 / batch_size) training steps. The IFS runs and the network set-up are a fixed
 * ≈ 2 ms, inside the minimum cost.
 */
export function validateCost(p: ValidateCostParams): number {
  const cellSteps = VALIDATION_FIELDS * p.gridSize * p.gridSize * p.steps * (p.quantumJitter ? JITTER_WEIGHT : 1);
  const batchSteps = p.epochs * Math.ceil(VALIDATION_SAMPLES / p.batchSize);
  return units(cellSteps / CELL_STEPS_PER_UNIT + batchSteps / BATCH_STEPS_PER_UNIT);
}

/**
 * /federated/aggregate (src/simulation/core/krum.ts): of n clients, u are aggregated (all, or a
 * 10 % sample above 1,000), split into k = min(num_clusters, u) clusters. Krum compares every
 * pair within each cluster (≈ u^2 / 2k pairs) and then every pair of the k representatives
 * (≈ k^2 / 2 pairs), each over `dimension` coordinates. Run time is therefore not monotonic in
 * the number of clusters (least near k ≈ u^(2/3)) nor across the sampling threshold, and the
 * cost follows it. Parsing the body happens on the request thread and is bounded by the body limit.
 */
export function aggregateCost(clients: number, dimension: number, numClusters: number): number {
  const used = clients > SAMPLING_THRESHOLD ? Math.max(1, Math.ceil(clients * DEFAULT_SAMPLE_FRACTION)) : clients;
  const clusters = Math.max(1, Math.min(numClusters, used));
  const pairs = ((used * used) / clusters + clusters * clusters) / 2;
  return units((pairs * dimension) / DISTANCE_VALUES_PER_UNIT);
}

/** The work units of a compute task. */
export function workCostOf(task: ComputeTask): number {
  switch (task.kind) {
    case 'simulate':
      return simulateCost(task.params.gridSize, task.params.steps);
    case 'validate':
      return validateCost(task.params);
    case 'aggregate':
      return aggregateCost(task.clients, task.dimension, task.numClusters);
  }
}
