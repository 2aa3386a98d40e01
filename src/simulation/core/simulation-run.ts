import { ACTIVE_THRESHOLD_V } from './constants';
import { DEFAULT_FIELD_SIMULATION } from './field-params';
import { FieldStepHook, simulateField } from './field-simulation';
import { summariseField } from './field-summary';
import { createRng } from './prng';

/**
 * One /simulate computation: a seeded field simulation (jitter off, Turing
 * threshold 0.75) and the statistics the endpoint reports, in millivolts.
 */
export interface SimulationRequest {
  seed: number;
  gridSize: number;
  steps: number;
  alpha: number;
  spikeProbability: number;
  turingEnabled: boolean;
  /** Activity threshold in mV for the mask (default -60, strictly above). */
  thresholdMv: number;
}

export const DEFAULT_SIMULATION_REQUEST: Readonly<SimulationRequest> = Object.freeze({
  seed: 42,
  gridSize: DEFAULT_FIELD_SIMULATION.gridSize,
  steps: DEFAULT_FIELD_SIMULATION.steps,
  alpha: DEFAULT_FIELD_SIMULATION.alpha,
  spikeProbability: DEFAULT_FIELD_SIMULATION.spikeProbability,
  turingEnabled: true,
  thresholdMv: ACTIVE_THRESHOLD_V * 1000,
});

export interface SimulationReport {
  growthEvents: number;
  potMinMv: number;
  potMaxMv: number;
  potMeanMv: number;
  potStdMv: number;
  fractalDimension: number;
  /** Share of cells above the threshold: shows why the dimension is 0 (no or one active cell). */
  activeFraction: number;
}

/** `onStep` (optional) sees the field after each step; it does not change the report. */
export function runSimulation(options: Partial<SimulationRequest> = {}, onStep?: FieldStepHook): SimulationReport {
  const req: SimulationRequest = { ...DEFAULT_SIMULATION_REQUEST, ...options };
  const { field, gridSize, growthEvents } = simulateField(
    {
      gridSize: req.gridSize,
      steps: req.steps,
      alpha: req.alpha,
      spikeProbability: req.spikeProbability,
      turingEnabled: req.turingEnabled,
      quantumJitter: false,
    },
    createRng(req.seed),
    onStep,
  );
  // The threshold is compared in volts, like the reference's V > -0.060.
  const s = summariseField(field, gridSize, req.thresholdMv / 1000);
  return {
    growthEvents,
    potMinMv: s.minV * 1000,
    potMaxMv: s.maxV * 1000,
    potMeanMv: s.meanV * 1000,
    potStdMv: s.stdV * 1000,
    fractalDimension: s.fractalDimension,
    activeFraction: s.activeFraction,
  };
}
