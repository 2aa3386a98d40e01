import { IFS_TRANSFORMS } from './constants';
import type { RandomSource } from './prng';

/**
 * Random iterated function system of contracting similarities and the
 * reference's "Lyapunov exponent": the mean log |det| of the maps applied, i.e. the mean log
 * area contraction (the sum of both exponents of a similarity, not the largest one).
 */
export interface IfsResult {
  /** (x, y) pairs, row-major P x 2; the origin itself is not stored. */
  points: Float64Array;
  lyapunov: number;
}

const DET_FLOOR = 1e-10;

/**
 * Draw order per map: s = U[0.2, 0.5), theta = U[0, 2 pi), e = U[-1, 1), f = U[-1, 1); then one
 * map index per point. Map k: (x, y) -> (s cos x - s sin y + e, s sin x + s cos y + f).
 */
export function generateIfs(rng: RandomSource, numPoints = 10000, numTransforms = IFS_TRANSFORMS): IfsResult {
  if (!Number.isInteger(numPoints) || numPoints < 1) throw new RangeError('numPoints must be an integer >= 1');
  if (!Number.isInteger(numTransforms) || numTransforms < 1) throw new RangeError('numTransforms must be an integer >= 1');
  const maps = new Float64Array(numTransforms * 6);
  const logDet = new Float64Array(numTransforms);
  for (let k = 0; k < numTransforms; k++) {
    const s = rng.uniform(0.2, 0.5);
    const theta = rng.uniform(0, 2 * Math.PI);
    const e = rng.uniform(-1, 1);
    const f = rng.uniform(-1, 1);
    const a = s * Math.cos(theta);
    const b = -s * Math.sin(theta);
    const c = s * Math.sin(theta);
    const d = s * Math.cos(theta);
    maps.set([a, b, c, d, e, f], k * 6);
    const det = Math.abs(a * d - b * c);
    logDet[k] = det > DET_FLOOR ? Math.log(det) : 0;
  }
  const points = new Float64Array(numPoints * 2);
  let x = 0;
  let y = 0;
  let acc = 0;
  for (let t = 0; t < numPoints; t++) {
    const m = rng.integer(numTransforms) * 6;
    const nx = maps[m] * x + maps[m + 1] * y + maps[m + 4];
    const ny = maps[m + 2] * x + maps[m + 3] * y + maps[m + 5];
    x = nx;
    y = ny;
    points[2 * t] = x;
    points[2 * t + 1] = y;
    acc += logDet[m / 6];
  }
  return { points, lyapunov: acc / numPoints };
}
