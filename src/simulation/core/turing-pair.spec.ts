import {
  TURING_ACTIVATOR_DIFFUSION as DA,
  TURING_ACTIVATOR_RATE as RA,
  TURING_INHIBITOR_DIFFUSION as DI,
  TURING_INHIBITOR_RATE as RI,
  TURING_INITIAL_MAX,
} from './constants';
import { createRng } from './prng';
import { TuringPair } from './turing-pair';

/** The pair's step written out with modular neighbours (same operation order, so the same bits). */
function referenceStep(a: Float64Array, h: Float64Array, n: number, threshold: number) {
  const an = new Float64Array(n * n);
  const hn = new Float64Array(n * n);
  const fired: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const nb = (x: Float64Array) => x[((i + n - 1) % n) * n + j] + x[((i + 1) % n) * n + j] + x[i * n + ((j + n - 1) % n)] + x[i * n + ((j + 1) % n)];
      const aNew = a[k] + (DA * (nb(a) - 4 * a[k]) + RA * (a[k] * (1 - a[k]) - h[k]));
      const hNew = h[k] + (DI * (nb(h) - 4 * h[k]) + RI * (aNew - h[k]));
      if (aNew > threshold) fired.push(k);
      an[k] = Math.min(1, Math.max(0, aNew));
      hn[k] = Math.min(1, Math.max(0, hNew));
    }
  }
  return { a: an, h: hn, fired };
}

const rangeOf = (x: Float64Array) => ({ lo: Math.min(...x), hi: Math.max(...x) });

describe('TuringPair', () => {
  it.each([2, 3, 17])('steps like the plain update and tracks the ranges on tracked steps only (N = %i)', (n) => {
    const threshold = 0.04;
    const rng = createRng(n);
    const pair = new TuringPair(n * n, createRng(n));
    let a = Float64Array.from({ length: n * n }, () => rng.uniform(0, TURING_INITIAL_MAX));
    let h = Float64Array.from({ length: n * n }, () => rng.uniform(0, TURING_INITIAL_MAX));
    expect(pair.bounds).toEqual({ minA: rangeOf(a).lo, maxA: rangeOf(a).hi, minH: rangeOf(h).lo, maxH: rangeOf(h).hi });

    const initial = { ...pair.bounds };
    let tracked = initial;
    let firedAtAll = 0;
    for (let t = 0; t < 12; t++) {
      const track = t % 4 === 3;
      const fired = pair.step(n, threshold, track);
      const next = referenceStep(a, h, n, threshold);
      expect(Array.from(pair.firedCells.subarray(0, fired))).toEqual(next.fired);
      firedAtAll += fired;
      ({ a, h } = next);
      if (track) tracked = { minA: rangeOf(a).lo, maxA: rangeOf(a).hi, minH: rangeOf(h).lo, maxH: rangeOf(h).hi };
      expect(pair.bounds).toEqual(tracked);
    }
    // Cells fired and the ranges moved since the start (else neither would be tested).
    expect(firedAtAll).toBeGreaterThan(0);
    expect(tracked).not.toEqual(initial);
  });
});
