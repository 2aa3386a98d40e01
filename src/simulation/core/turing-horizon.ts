import { TURING_ACTIVATOR_RATE, TURING_INHIBITOR_RATE } from './constants';

/**
 * When the activator/inhibitor pair may be skipped: an interval bound on how long the activator
 * provably stays below the threshold. Skipping changes no bit of the field (see turingSafeHorizon).
 */

const RA = TURING_ACTIVATOR_RATE;
const RI = TURING_INHIBITOR_RATE;

/** Steps between horizon checks while the pair is integrated (taking its ranges costs ~0.4 of a step). */
export const HORIZON_CHECK_INTERVAL = 8;

/** Ranges of the activator and inhibitor over the grid (after the clip). */
export interface TuringBounds {
  minA: number;
  maxA: number;
  minH: number;
  maxH: number;
}

/**
 * Rounding slack. One computed step of the pair is off from the exact map by at most ~1e-14
 * (ten operations on values of magnitude <= 4), and the map is Lipschitz with constant
 * 1 + 2 ra = 1.02 in the max norm, so after s skipped steps the computed activator can exceed
 * the exact one by at most 1e-14 (1.02^s - 1) / 0.02: 2e-4 for 1000 steps. Horizons far beyond
 * the service's 1000 steps therefore come out 0 (always integrate).
 */
const ROUNDING_PER_STEP = 1e-14;
const STEP_LIPSCHITZ = 1 + 2 * TURING_ACTIVATOR_RATE;

function roundingSlack(steps: number): number {
  return Math.max(1e-9, (ROUNDING_PER_STEP * (STEP_LIPSCHITZ ** steps - 1)) / (STEP_LIPSCHITZ - 1));
}

/** Largest and smallest of x(1 - x) over [lo, hi] within [0, 1]. */
function logisticRange(lo: number, hi: number): [number, number] {
  const atLo = lo * (1 - lo);
  const atHi = hi * (1 - hi);
  const top = lo <= 0.5 && hi >= 0.5 ? 0.25 : Math.max(atLo, atHi);
  return [Math.min(atLo, atHi), top];
}

const clip01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * How many further steps the unclamped activator provably stays at or below `threshold`, given
 * the current ranges of A and H (capped at `limit`).
 *
 * Why it holds: A' = [(1 - 4 Da) A + Da (sum of the 4 neighbours)] + ra A(1 - A) - ra H. The
 * bracket is a convex combination (1 - 4 Da >= 0), so it lies in [min A, max A]; the other two
 * terms lie in ra [min x(1-x), max x(1-x)] over that range and in -ra [max H, min H]. Likewise
 * H' = [(1 - 4 Di - ri) H + Di (sum of neighbours)] + ri A' lies in (1 - ri) [min H, max H] +
 * ri [min A', max A']. Iterating these interval bounds (clipped to [0, 1] like the arrays)
 * covers every cell and every later step. While the upper bound stays below the threshold the
 * increment cannot fire, so skipping the pair changes no bit of V; the random draws that
 * initialise A and H are still made.
 */
export function turingSafeHorizon(bounds: TuringBounds, threshold: number, limit: number): number {
  const ceiling = threshold - roundingSlack(limit);
  let { minA, maxA, minH, maxH } = bounds;
  let s = 0;
  while (s < limit) {
    const [gLo, gHi] = logisticRange(minA, maxA);
    const nextMaxA = maxA + RA * (gHi - minH);
    if (!(nextMaxA <= ceiling)) break;
    const nextMinA = minA + RA * (gLo - maxH);
    const nextMaxH = (1 - RI) * maxH + RI * nextMaxA;
    const nextMinH = (1 - RI) * minH + RI * nextMinA;
    minA = clip01(nextMinA);
    maxA = clip01(nextMaxA);
    minH = clip01(nextMinH);
    maxH = clip01(nextMaxH);
    s++;
  }
  return s;
}
