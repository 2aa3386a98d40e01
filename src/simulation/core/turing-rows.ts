import { TURING_ACTIVATOR_DIFFUSION, TURING_ACTIVATOR_RATE, TURING_INHIBITOR_DIFFUSION, TURING_INHIBITOR_RATE } from './constants';

/**
 * The activator/inhibitor update over the interior columns 1..N-2 of one row, without wrap
 * arithmetic: this loop dominates the cost of the pair (turing-pair.ts handles the edge columns).
 * Left, centre and right values slide through locals instead of being reloaded.
 *
 * A' = A + (Da LA + ra (A(1-A) - H)); H' = H + (Di LH + ri (A' - H)) with the updated A'; the
 * threshold is tested on the unclamped A'; both are then clipped to [0, 1].
 *
 * It is the only such loop. The ranges the horizon check needs (every 8th step) are taken by a
 * separate pass over the new arrays in TuringPair.step, not folded here: against the former
 * second copy of this loop that folded them, the pass measured even (256 x 1000 simulateField
 * x0.98-1.04, the pair's steps x1.00-1.01), folding them here on every step cost x1.11-1.14 and
 * a flag tested in the loop x1.02-1.04 (bench/turing-rows.js; docs/performance.md, Compute).
 */

// Local copies: the hot loop reads these as constants rather than as module-object properties.
const DA = TURING_ACTIVATOR_DIFFUSION;
const DI = TURING_INHIBITOR_DIFFUSION;
const RA = TURING_ACTIVATOR_RATE;
const RI = TURING_INHIBITOR_RATE;

/** Interior of one row; appends fired cells to `firedCells` and returns the updated count. */
export function turingRow(
  a: Float64Array,
  h: Float64Array,
  aOut: Float64Array,
  hOut: Float64Array,
  row: number,
  up: number,
  down: number,
  n: number,
  threshold: number,
  firedSoFar: number,
  firedCells: Int32Array,
): number {
  let fired = firedSoFar;
  let aL = a[row];
  let aC = a[row + 1];
  let hL = h[row];
  let hC = h[row + 1];
  const last = row + n - 1;
  for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
    const aR = a[k + 1];
    const hR = h[k + 1];
    const aNew = aC + (DA * (a[ku] + a[kd] + aL + aR - 4 * aC) + RA * (aC * (1 - aC) - hC));
    const hNew = hC + (DI * (h[ku] + h[kd] + hL + hR - 4 * hC) + RI * (aNew - hC));
    if (aNew > threshold) firedCells[fired++] = k;
    aOut[k] = aNew < 0 ? 0 : aNew > 1 ? 1 : aNew;
    hOut[k] = hNew < 0 ? 0 : hNew > 1 ? 1 : hNew;
    aL = aC;
    aC = aR;
    hL = hC;
    hC = hR;
  }
  return fired;
}
