import { FIELD_CLAMP_MAX_V, FIELD_CLAMP_MIN_V, TURING_FIELD_INCREMENT_V } from './constants';
import { clampField } from './field-clamp';
import type { RandomSource } from './prng';

/**
 * One step of the potential field: explicit diffusion over the periodic grid (5-point Laplacian),
 * the Turing increment of the cells whose activator fired, optional per-cell noise, then the ion
 * clamp. Every cell is computed from the old field into `out`.
 */

// Local copies: the hot loop reads these as constants rather than as module-object properties.
const CLAMP_MIN = FIELD_CLAMP_MIN_V;
const CLAMP_MAX = FIELD_CLAMP_MAX_V;
const TURING_INCREMENT = TURING_FIELD_INCREMENT_V;

/** Diffused value of cell k: c + alpha ((((up + down) + left) + right) - 4 c), the reference's order. */
function diffusedAt(v: Float64Array, k: number, n: number, alpha: number): number {
  const i = Math.floor(k / n);
  const j = k - i * n;
  const row = i * n;
  const up = (i === 0 ? n - 1 : i - 1) * n + j;
  const down = (i === n - 1 ? 0 : i + 1) * n + j;
  const left = row + (j === 0 ? n - 1 : j - 1);
  const right = row + (j === n - 1 ? 0 : j + 1);
  const c = v[k];
  return c + alpha * (v[up] + v[down] + v[left] + v[right] - 4 * c);
}

/**
 * Diffusion and the ion clamp in one row-major pass. Edge columns wrap; the interior runs
 * without wrap arithmetic because this loop dominates the run time.
 */
export function stepDiffusion(v: Float64Array, out: Float64Array, n: number, alpha: number): void {
  if (n < 3) {
    for (let k = 0; k < n * n; k++) out[k] = clampField(diffusedAt(v, k, n, alpha));
    return;
  }
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const up = (i === 0 ? n - 1 : i - 1) * n;
    const down = (i === n - 1 ? 0 : i + 1) * n;
    const last = row + n - 1;
    let c = v[row];
    let x = c + alpha * (v[up] + v[down] + v[last] + v[row + 1] - 4 * c);
    out[row] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
      c = v[k];
      x = c + alpha * (v[ku] + v[kd] + v[k - 1] + v[k + 1] - 4 * c);
      out[k] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    }
    c = v[last];
    x = c + alpha * (v[up + n - 1] + v[down + n - 1] + v[last - 1] + v[row] - 4 * c);
    out[last] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
  }
}

/**
 * Redoes the first `count` cells of `cells` after stepDiffusion with the Turing increment added
 * before the clamp. Rare: never at the service's threshold.
 */
export function addTuringIncrement(v: Float64Array, out: Float64Array, n: number, alpha: number, cells: Int32Array, count: number): void {
  for (let f = 0; f < count; f++) {
    const k = cells[f];
    out[k] = clampField(diffusedAt(v, k, n, alpha) + TURING_INCREMENT);
  }
}

/**
 * Diffusion, the Turing increment of the cells marked in `fired`, one N(0, jitterStd) draw per
 * cell in row-major order, then the clamp.
 */
export function stepDiffusionWithJitter(
  v: Float64Array,
  out: Float64Array,
  n: number,
  alpha: number,
  fired: Uint8Array | undefined,
  rng: RandomSource,
  jitterStd: number,
): void {
  for (let k = 0; k < n * n; k++) {
    let x = diffusedAt(v, k, n, alpha);
    if (fired !== undefined && fired[k] === 1) x += TURING_INCREMENT;
    out[k] = clampField(x + rng.normal(0, jitterStd));
  }
}
