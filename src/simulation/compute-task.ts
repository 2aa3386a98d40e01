import type { SimulationReport, SimulationRequest, ValidationConfig, ValidationReport } from './core';

/**
 * The messages exchanged with the compute worker threads. Plain data only (structured clone);
 * gradients travel as one transferred Float32Array plus its shape, never as JSON.
 */
export interface SimulateTask {
  kind: 'simulate';
  params: SimulationRequest;
}

export interface ValidateTask {
  kind: 'validate';
  params: ValidationConfig;
}

export interface AggregateTask {
  kind: 'aggregate';
  /** clients x dimension, row-major; its buffer is transferred to the worker. */
  values: Float32Array;
  clients: number;
  dimension: number;
  numClusters: number;
  byzantineFraction: number;
  seed: number;
}

export type ComputeTask = SimulateTask | ValidateTask | AggregateTask;
export type ComputeTaskKind = ComputeTask['kind'];

/** What each kind produces; `seconds` is the run time measured inside the worker. */
export interface ComputeOutputs {
  simulate: SimulationReport;
  validate: ValidationReport;
  aggregate: Float32Array;
}

export interface ComputeTaskResult<K extends ComputeTaskKind = ComputeTaskKind> {
  kind: K;
  output: ComputeOutputs[K];
  seconds: number;
}

/** Name of the handler the worker module exports (piscina's `name` option). */
export const COMPUTE_HANDLER_NAME = 'runComputeTask';
