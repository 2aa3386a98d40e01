import {
  TURING_ACTIVATOR_DIFFUSION,
  TURING_ACTIVATOR_RATE,
  TURING_INHIBITOR_DIFFUSION,
  TURING_INHIBITOR_RATE,
  TURING_INITIAL_MAX,
} from './constants';
import type { RandomSource } from './prng';
import type { TuringBounds } from './turing-horizon';
import { turingRow } from './turing-rows';

const DA = TURING_ACTIVATOR_DIFFUSION;
const DI = TURING_INHIBITOR_DIFFUSION;
const RA = TURING_ACTIVATOR_RATE;
const RI = TURING_INHIBITOR_RATE;

const clip01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Smallest and largest of values in [0, 1]: folded from (1, 0) in index order, the order the cells are computed in. */
function rangeOf(values: Float64Array): [number, number] {
  let lo = 1;
  let hi = 0;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < lo) lo = values[k];
    if (values[k] > hi) hi = values[k];
  }
  return [lo, hi];
}

/**
 * The Turing morphogenesis pair: activator (A) and inhibitor (H) on the periodic grid. It never
 * reads the potentials: each step only reports which cells' potentials receive the increment.
 */
export class TuringPair {
  private a: Float64Array;
  private h: Float64Array;
  private aNext: Float64Array;
  private hNext: Float64Array;
  /** Indices of the cells whose unclamped A' exceeded the threshold in the last step. */
  readonly firedCells: Int32Array;
  private mask?: Uint8Array;
  /** Ranges of A and H now (for turingSafeHorizon): from the start, then as of the last tracked step. */
  readonly bounds: TuringBounds = { minA: 0, maxA: 0, minH: 0, maxH: 0 };

  /** Draws the initial state: `cells` activator uniforms, then `cells` inhibitor uniforms, in [0, 0.1). */
  constructor(cells: number, rng: RandomSource) {
    this.a = new Float64Array(cells);
    this.h = new Float64Array(cells);
    this.aNext = new Float64Array(cells);
    this.hNext = new Float64Array(cells);
    this.firedCells = new Int32Array(cells);
    for (let k = 0; k < cells; k++) this.a[k] = rng.uniform(0, TURING_INITIAL_MAX);
    for (let k = 0; k < cells; k++) this.h[k] = rng.uniform(0, TURING_INITIAL_MAX);
    [this.bounds.minA, this.bounds.maxA] = rangeOf(this.a);
    [this.bounds.minH, this.bounds.maxH] = rangeOf(this.h);
  }

  /** The fired cells as a 0/1 mask, or undefined when none fired. */
  firedMask(count: number): Uint8Array | undefined {
    if (count === 0) return undefined;
    this.mask ??= new Uint8Array(this.a.length);
    this.mask.fill(0);
    for (let f = 0; f < count; f++) this.mask[this.firedCells[f]] = 1;
    return this.mask;
  }

  /**
   * One exact step of the whole grid (the update is in turing-rows.ts). Returns the number of
   * fired cells (in `firedCells`); refreshes `bounds` when `trackBounds` is set (horizon-check
   * steps), by a pass over the new arrays in the order the cells were computed.
   */
  step(n: number, threshold: number, trackBounds: boolean): number {
    const { a, h, aNext, hNext } = this;
    let fired = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const up = (i === 0 ? n - 1 : i - 1) * n;
      const down = (i === n - 1 ? 0 : i + 1) * n;
      if (n < 3) {
        for (let j = 0; j < n; j++) {
          const left = row + (j === 0 ? n - 1 : j - 1);
          const right = row + (j === n - 1 ? 0 : j + 1);
          fired = this.cell(row + j, up + j, down + j, left, right, threshold, fired);
        }
        continue;
      }
      const last = row + n - 1;
      fired = this.cell(row, up, down, last, row + 1, threshold, fired);
      fired = turingRow(a, h, aNext, hNext, row, up, down, n, threshold, fired, this.firedCells);
      fired = this.cell(last, up + n - 1, down + n - 1, last - 1, row, threshold, fired);
    }
    this.a = aNext;
    this.aNext = a;
    this.h = hNext;
    this.hNext = h;
    if (trackBounds) {
      [this.bounds.minA, this.bounds.maxA] = rangeOf(aNext);
      [this.bounds.minH, this.bounds.maxH] = rangeOf(hNext);
    }
    return fired;
  }

  /** One cell with explicit neighbour indices (grid edges and tiny grids); returns the fired count. */
  private cell(k: number, ku: number, kd: number, kl: number, kr: number, threshold: number, fired: number): number {
    const { a, h } = this;
    const ac = a[k];
    const hc = h[k];
    const aNew = ac + (DA * (a[ku] + a[kd] + a[kl] + a[kr] - 4 * ac) + RA * (ac * (1 - ac) - hc));
    const hNew = hc + (DI * (h[ku] + h[kd] + h[kl] + h[kr] - 4 * hc) + RI * (aNew - hc));
    if (aNew > threshold) this.firedCells[fired++] = k;
    this.aNext[k] = clip01(aNew);
    this.hNext[k] = clip01(hNew);
    return fired;
  }
}
