import {
  DEFAULT_ALPHA,
  DEFAULT_GRID_SIZE,
  DEFAULT_SPIKE_PROBABILITY,
  DEFAULT_STEPS,
  JITTER_VARIANCE_V2,
  TURING_THRESHOLD,
} from './constants';

/**
 * The potential-field simulation's parameters: an N x N periodic grid of membrane potentials
 * (volts) with random growth spikes, explicit diffusion, an optional activator/inhibitor pair
 * and optional per-cell noise, clamped to the ion range every step.
 */
export interface FieldSimulationParams {
  gridSize: number;
  steps: number;
  alpha: number;
  spikeProbability: number;
  turingEnabled: boolean;
  turingThreshold: number;
  quantumJitter: boolean;
  jitterVariance: number;
  /**
   * Integrate the activator pair every step even while it provably cannot fire. The result is
   * bit-identical either way; this exists so tests can verify that claim.
   */
  exactTuring: boolean;
}

export const DEFAULT_FIELD_SIMULATION: Readonly<FieldSimulationParams> = Object.freeze({
  gridSize: DEFAULT_GRID_SIZE,
  steps: DEFAULT_STEPS,
  alpha: DEFAULT_ALPHA,
  spikeProbability: DEFAULT_SPIKE_PROBABILITY,
  turingEnabled: true,
  turingThreshold: TURING_THRESHOLD,
  quantumJitter: false,
  jitterVariance: JITTER_VARIANCE_V2,
  exactTuring: false,
});

export interface FieldSimulationResult {
  /** Final potentials in volts, row-major N x N. */
  field: Float64Array;
  gridSize: number;
  /** Number of steps in which a spike was injected. */
  growthEvents: number;
}

/** The defaults overlaid with `options`; throws RangeError for a run that cannot be simulated. */
export function resolveFieldParams(options: Partial<FieldSimulationParams>): FieldSimulationParams {
  const p: FieldSimulationParams = { ...DEFAULT_FIELD_SIMULATION, ...options };
  if (!Number.isInteger(p.gridSize) || p.gridSize < 1) throw new RangeError('gridSize must be an integer >= 1');
  if (!Number.isInteger(p.steps) || p.steps < 0) throw new RangeError('steps must be an integer >= 0');
  if (!Number.isFinite(p.alpha)) throw new RangeError('alpha must be finite');
  if (!(p.spikeProbability >= 0 && p.spikeProbability <= 1)) throw new RangeError('spikeProbability must be in [0, 1]');
  if (!Number.isFinite(p.turingThreshold)) throw new RangeError('turingThreshold must be finite');
  if (!(p.jitterVariance >= 0) || !Number.isFinite(p.jitterVariance)) throw new RangeError('jitterVariance must be >= 0');
  return p;
}
