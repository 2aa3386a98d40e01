import { createRng } from './prng';
import { turingSafeHorizon } from './turing-horizon';

describe('turingSafeHorizon', () => {
  it('bounds the activator: it never exceeds the threshold within the safe horizon', () => {
    // Exact integration of the pair alone from a random start, against the scalar bound.
    const n = 12;
    const rng = createRng(8);
    let a = Float64Array.from({ length: n * n }, () => rng.uniform(0, 0.3));
    let h = Float64Array.from({ length: n * n }, () => rng.uniform(0, 0.3));
    const threshold = 0.4;
    const bounds = { minA: Math.min(...a), maxA: Math.max(...a), minH: Math.min(...h), maxH: Math.max(...h) };
    const horizon = turingSafeHorizon(bounds, threshold, 1000);
    expect(horizon).toBeGreaterThan(10);
    let highest = 0;
    for (let t = 0; t < horizon; t++) {
      const an = new Float64Array(n * n);
      const hn = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const k = i * n + j;
          const nb = (x: Float64Array) => x[((i + n - 1) % n) * n + j] + x[((i + 1) % n) * n + j] + x[i * n + ((j + n - 1) % n)] + x[i * n + ((j + 1) % n)];
          const aNew = a[k] + (0.1 * (nb(a) - 4 * a[k]) + 0.01 * (a[k] * (1 - a[k]) - h[k]));
          const hNew = h[k] + (0.05 * (nb(h) - 4 * h[k]) + 0.02 * (aNew - h[k]));
          highest = Math.max(highest, aNew);
          an[k] = Math.min(1, Math.max(0, aNew));
          hn[k] = Math.min(1, Math.max(0, hNew));
        }
      }
      a = an;
      h = hn;
    }
    expect(highest).toBeGreaterThan(0);
    expect(highest).toBeLessThanOrEqual(threshold);
    expect(turingSafeHorizon({ minA: 0, maxA: 0.8, minH: 0, maxH: 0 }, 0.75, 100)).toBe(0);
    expect(turingSafeHorizon({ minA: 0, maxA: 0.1, minH: 0, maxH: 0.1 }, Number.NaN, 100)).toBe(0);
    // Inhibition helps: a high floor of H extends the horizon.
    const bare = turingSafeHorizon({ minA: 0, maxA: 0.1, minH: 0, maxH: 0.1 }, 0.75, 1000);
    expect(turingSafeHorizon({ minA: 0.05, maxA: 0.1, minH: 0.08, maxH: 0.1 }, 0.75, 1000)).toBeGreaterThan(bare);
    // Far beyond 1000 steps rounding could add up: no horizon is promised there.
    expect(turingSafeHorizon({ minA: 0, maxA: 0.01, minH: 0, maxH: 0.01 }, 0.75, 5000)).toBe(0);
  });
});
