import { fractalDimension } from './box-counting';
import { ACTIVE_THRESHOLD_V } from './constants';

/** Statistics of a simulated field as the service reports them. */
export interface FieldSummary {
  minV: number;
  maxV: number;
  meanV: number;
  /** Population standard deviation (divides by N^2). */
  stdV: number;
  /** Cells strictly above the threshold. */
  activeCells: number;
  /** activeCells / N^2. */
  activeFraction: number;
  /** Box-counting dimension (default estimator) of the active cells. */
  fractalDimension: number;
}

/** 1 where the potential is strictly above the threshold. */
export function activeMask(field: Float64Array, thresholdV: number = ACTIVE_THRESHOLD_V): Uint8Array {
  const mask = new Uint8Array(field.length);
  for (let k = 0; k < field.length; k++) mask[k] = field[k] > thresholdV ? 1 : 0;
  return mask;
}

export function summariseField(field: Float64Array, gridSize: number, thresholdV: number = ACTIVE_THRESHOLD_V): FieldSummary {
  const cells = field.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let k = 0; k < cells; k++) {
    const x = field[k];
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const mean = sum / cells;
  // Two passes: the deviations are ~1e-4 of the values, so a one-pass formula would cancel badly.
  let sq = 0;
  for (let k = 0; k < cells; k++) {
    const d = field[k] - mean;
    sq += d * d;
  }
  const mask = activeMask(field, thresholdV);
  let active = 0;
  for (let k = 0; k < cells; k++) active += mask[k];
  return {
    minV: min,
    maxV: max,
    meanV: mean,
    stdV: Math.sqrt(sq / cells),
    activeCells: active,
    activeFraction: active / cells,
    fractalDimension: fractalDimension(mask, gridSize),
  };
}
