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

/**
 * The W3C trace context of the task's span (src/tracing/compute-span.ts), set only while tracing
 * is on: the thread learns its parent from the message itself, since async context does not
 * cross into a worker thread.
 */
export interface TaskTraceContext {
  traceparent?: string;
}

export type ComputeTask = (SimulateTask | ValidateTask | AggregateTask) & TaskTraceContext;
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
  /** Set when the task carried a traceparent: what the thread received and when it started. */
  trace?: { traceparent: string; startedAtMs: number };
}

/** Name of the handler the worker module exports (piscina's `name` option). */
export const COMPUTE_HANDLER_NAME = 'runComputeTask';
