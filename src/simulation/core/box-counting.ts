/**
 * Box-counting fractal dimension of a square boolean field, reproducing the
 * reference's box sizes exactly, including its float-truncation quirks ([2, 4, 7, 16, 32] for
 * N >= 64, not powers of two), with a clear error where the reference crashed.
 */

export interface BoxCountingOptions {
  /** Smallest box edge in cells (default 2). */
  minBoxSize?: number;
  /** Largest box edge; default min * 2^(numScales-1), capped at floor(N/2) (N >= 4) or N. */
  maxBoxSize?: number;
  /** Number of geometric scales (default 5). */
  numScales?: number;
}

export interface BoxCountingResult {
  dimension: number;
  /** The box edges tried, ascending. */
  boxSizes: number[];
  /** Occupied boxes per size; null where the size exceeds the grid (not counted). */
  boxCounts: (number | null)[];
  /** The largest box edge after defaults and the min/max rule. */
  effectiveMaxBoxSize: number;
  /** True when at least two sizes had occupied boxes, so a slope was fitted. */
  fitUsed: boolean;
}

/** Invalid estimator input (the reference raised ValueError or crashed with IndexError). */
export class BoxCountingError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'BoxCountingError';
  }
}

export const DEFAULT_MIN_BOX_SIZE = 2;
export const DEFAULT_NUM_SCALES = 5;

/**
 * (min, max, numScales) where V8's log10/pow put a geometric node exactly on 48 while numpy lands
 * a hair below and truncates to 47 (found by exhaustive comparison over min 1..8, max up to 256,
 * 1..10 scales). None of them is on the default path.
 */
const NODE_48_OVERRIDES = new Set(['3,192,4', '6,96,5', '3,96,6', '6,192,6', '3,192,7', '6,96,9']);

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new BoxCountingError(`${name} must be an integer >= ${min}`);
}

/** The largest box edge the estimator uses for a grid of `gridSize` cells per side. */
export function effectiveMaxBoxSize(gridSize: number, options: BoxCountingOptions = {}): number {
  const min = options.minBoxSize ?? DEFAULT_MIN_BOX_SIZE;
  const scales = options.numScales ?? DEFAULT_NUM_SCALES;
  let max: number;
  if (options.maxBoxSize === undefined) {
    max = min * 2 ** (scales - 1);
    max = Math.min(max, gridSize >= 4 ? Math.floor(gridSize / 2) : gridSize);
  } else {
    max = options.maxBoxSize;
  }
  return max < min ? min : max;
}

/**
 * The box sizes: numpy geomspace(min, max, numScales) truncated toward zero, de-duplicated and
 * sorted. Inner nodes are 10^(k*step + log10(min)) in exactly that order of operations, which is
 * what produces 7 instead of 8 for the defaults.
 */
export function boxSizes(gridSize: number, options: BoxCountingOptions = {}): number[] {
  const min = options.minBoxSize ?? DEFAULT_MIN_BOX_SIZE;
  const scales = options.numScales ?? DEFAULT_NUM_SCALES;
  requireInteger('num_scales', scales, 1);
  requireInteger('min_box_size', min, 1);
  if (options.maxBoxSize !== undefined) requireInteger('max_box_size', options.maxBoxSize, 1);
  const max = effectiveMaxBoxSize(gridSize, options);
  return [...new Set(geometricNodes(min, max, scales))].sort((x, y) => x - y);
}

/** The truncated geometric nodes, before de-duplication (node 0 is min, the last is max). */
export function geometricNodes(min: number, max: number, scales: number): number[] {
  if (scales === 1) return [Math.trunc(min)];
  const ls = Math.log10(min);
  const le = Math.log10(max);
  const step = (le - ls) / (scales - 1);
  const override = NODE_48_OVERRIDES.has(`${min},${max},${scales}`);
  const nodes: number[] = [Math.trunc(min)];
  for (let k = 1; k < scales - 1; k++) {
    const node = Math.trunc(10 ** (k * step + ls));
    nodes.push(override && node === 48 ? 47 : node);
  }
  nodes.push(Math.trunc(max));
  return nodes;
}

/**
 * Occupied boxes of edge `size`: only the top-left floor(N/size)*size square is tiled (the last
 * N mod size rows and columns are ignored, as in the reference). Returns null when size > N.
 */
export function countOccupiedBoxes(mask: Uint8Array, gridSize: number, size: number): number | null {
  const nb = Math.floor(gridSize / size);
  if (nb === 0) return null;
  let count = 0;
  for (let bi = 0; bi < nb; bi++) {
    for (let bj = 0; bj < nb; bj++) {
      let occupied = false;
      for (let i = bi * size; i < (bi + 1) * size && !occupied; i++) {
        const row = i * gridSize;
        for (let j = bj * size; j < (bj + 1) * size; j++) {
          if (mask[row + j] !== 0) {
            occupied = true;
            break;
          }
        }
      }
      if (occupied) count++;
    }
  }
  return count;
}

/** Least-squares slope of ln(count) against ln(1/size) (degree-1 fit with intercept). */
function fitSlope(sizes: number[], counts: number[]): number {
  const xs = sizes.map((s) => Math.log(1 / s));
  const ys = counts.map((c) => Math.log(c));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < xs.length; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) * (xs[k] - mx);
  }
  return sxy / sxx;
}

/**
 * Full analysis of an N x N mask (row-major, non-zero = occupied). Fewer than two sizes with
 * occupied boxes give dimension 0. An explicit max_box_size above N is refused: the reference
 * crashed with an IndexError there whenever a fit was possible.
 */
export function boxCountingAnalysis(mask: Uint8Array, gridSize: number, options: BoxCountingOptions = {}): BoxCountingResult {
  requireInteger('grid size', gridSize, 1);
  if (mask.length !== gridSize * gridSize) throw new BoxCountingError('the field must be a square N x N array');
  if (options.maxBoxSize !== undefined && options.maxBoxSize > gridSize) {
    throw new BoxCountingError(`max_box_size (${options.maxBoxSize}) must not exceed the grid size (${gridSize})`);
  }
  const sizes = boxSizes(gridSize, options);
  const counts = sizes.map((s) => countOccupiedBoxes(mask, gridSize, s));
  const usedSizes: number[] = [];
  const usedCounts: number[] = [];
  counts.forEach((c, k) => {
    if (c !== null && c > 0) {
      usedSizes.push(sizes[k]);
      usedCounts.push(c);
    }
  });
  const fitUsed = usedSizes.length >= 2;
  return {
    dimension: fitUsed ? fitSlope(usedSizes, usedCounts) : 0,
    boxSizes: sizes,
    boxCounts: counts,
    effectiveMaxBoxSize: effectiveMaxBoxSize(gridSize, options),
    fitUsed,
  };
}

/** The box-counting dimension alone. */
export function fractalDimension(mask: Uint8Array, gridSize: number, options: BoxCountingOptions = {}): number {
  return boxCountingAnalysis(mask, gridSize, options).dimension;
}

/**
 * A row-major mask from nested rows (booleans, 0/1 numbers or '0'/'1' strings), checking that
 * the input is 2-D and square, the way the reference validated its numpy array.
 */
export function squareMaskFromRows(rows: ArrayLike<unknown>): { mask: Uint8Array; gridSize: number } {
  const n = rows.length;
  if (n === 0) throw new BoxCountingError('the field must be a non-empty 2-D array');
  const mask = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' && typeof row !== 'string') {
      throw new BoxCountingError('the field must be a 2-D array');
    }
    const cells = row as ArrayLike<unknown>;
    if (cells.length !== n) throw new BoxCountingError('the field must be square (N x N)');
    for (let j = 0; j < n; j++) {
      const c = cells[j];
      mask[i * n + j] = c === true || c === 1 || c === '1' ? 1 : 0;
    }
  }
  return { mask, gridSize: n };
}
