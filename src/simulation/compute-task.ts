import type { MessagePort } from 'node:worker_threads';
import type { SimulationReport, SimulationRequest, ValidationConfig, ValidationReport } from './core';

/**
 * The messages exchanged with the compute worker threads. Plain data only (structured clone);
 * gradients travel as one transferred Float32Array plus its shape, never as JSON.
 */
export interface SimulateTask {
  kind: 'simulate';
  params: SimulationRequest;
  /**
   * With a progress channel (ComputeRunOptions.onProgress): report every this many steps, and
   * always the last one (default 1).
   */
  progressEvery?: number;
  /** Set by ComputePoolService when the caller passed onProgress; never by callers. */
  progressPort?: MessagePort;
}

/**
 * The progress channel (ComputeRunOptions.onProgress): messages a worker posts while a task
 * runs, in order, all delivered before run() settles. Only `simulate` reports progress so far:
 * one SimulateProgress per `progressEvery` steps and for the last step. A new kind adds its own
 * member to ComputeProgress (tell them apart by `kind`).
 */
export interface SimulateProgress {
  kind: 'simulate';
  /** Steps done (1-based), of `totalSteps`. */
  step: number;
  totalSteps: number;
  growthEvents: number;
  /** Statistics of the field after `step`, in millivolts (threshold: the task's thresholdMv). */
  potMeanMv: number;
  potStdMv: number;
  potMinMv: number;
  potMaxMv: number;
  /** Cells strictly above the threshold, and their share of the N x N cells. */
  activeCells: number;
  activityRatio: number;
  fractalDimension: number;
  /** Sum over the cells of the squared potential (mV^2). */
  totalEnergy: number;
  /** Population variance of the potential (mV^2). */
  spatialVariance: number;
  gridSize: number;
}

export type ComputeProgress = SimulateProgress;

/** What a worker posts on the progress port: progress, then one `end` after the task's last progress. */
export type ProgressPortMessage = { type: 'progress'; progress: ComputeProgress } | { type: 'end' };

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
