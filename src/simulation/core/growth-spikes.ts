import { SPIKE_AMPLITUDE_MEAN_V, SPIKE_AMPLITUDE_STD_V } from './constants';
import type { RandomSource } from './prng';

/**
 * The growth event of one step: one uniform decides it (below `probability`); when it fires, a
 * row, a column and an N(20 mV, 5 mV) amplitude are drawn, in that order, and the amplitude is
 * added to that cell. Returns whether it fired.
 */
export function injectGrowthSpike(v: Float64Array, n: number, probability: number, rng: RandomSource): boolean {
  if (!(rng.nextDouble() < probability)) return false;
  const i = rng.integer(n);
  const j = rng.integer(n);
  v[i * n + j] += rng.normal(SPIKE_AMPLITUDE_MEAN_V, SPIKE_AMPLITUDE_STD_V);
  return true;
}
