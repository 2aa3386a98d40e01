import { readGolden, relativeError } from '../../../test/helpers/golden';
import { compareDistributions, summarise } from '../../../test/helpers/statistics';
import { generateIfs } from './ifs';
import { historyLyapunov } from './lyapunov';
import { createRng } from './prng';

interface IfsGolden {
  summary: { n: number; mean: number; std: number };
  theory: { E_log_s_squared_map_determinant: number; hard_bounds: [number, number]; theoretical_radius_bound?: number };
  points: { theoretical_radius_bound: number };
  history_cases: { name: string; history: number[][][]; dt: number; result: number }[];
}

const golden = readGolden<IfsGolden>('ifs_lyapunov.json');

describe('IFS Lyapunov estimate (ifs_lyapunov.json)', () => {
  const runs = Array.from({ length: 200 }, (_, seed) => generateIfs(createRng(seed), 1000, 4));

  it('has the reference distribution over 200 seeds (|z| < 4, std ratio in band)', () => {
    const impl = summarise(runs.map((r) => r.lyapunov));
    const { z, stdRatio } = compareDistributions(impl, golden.summary);
    expect(Math.abs(z)).toBeLessThan(4);
    expect(stdRatio).toBeGreaterThan(0.6);
    expect(stdRatio).toBeLessThan(1.6);
    // And it sits near the closed-form mean 2 E[ln s] = -2.1646.
    expect(Math.abs(impl.mean - golden.theory.E_log_s_squared_map_determinant)).toBeLessThan(0.08);
  });

  it('stays within the hard bounds [2 ln 0.2, 2 ln 0.5] and inside radius 2 sqrt(2)', () => {
    const [lo, hi] = golden.theory.hard_bounds;
    const lambdas = runs.map((r) => r.lyapunov);
    expect(Math.min(...lambdas)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...lambdas)).toBeLessThanOrEqual(hi);
    let maxRadius = 0;
    for (const r of runs) {
      for (let k = 0; k < r.points.length; k += 2) maxRadius = Math.max(maxRadius, Math.hypot(r.points[k], r.points[k + 1]));
    }
    expect(maxRadius).toBeGreaterThan(0);
    expect(maxRadius).toBeLessThan(golden.points.theoretical_radius_bound);
  });

  it('returns P points and refuses empty runs', () => {
    expect(generateIfs(createRng(1), 10, 2).points).toHaveLength(20);
    expect(() => generateIfs(createRng(1), 0)).toThrow(RangeError);
    expect(() => generateIfs(createRng(1), 10, 0)).toThrow(RangeError);
  });
});

describe('history Lyapunov estimate (ifs_lyapunov.json history_cases)', () => {
  it.each(golden.history_cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const frames = c.history.map((f) => f.flat());
    expect(relativeError(historyLyapunov(frames, c.dt), c.result)).toBeLessThanOrEqual(1e-12);
  });

  it('refuses frames of different sizes', () => {
    expect(() => historyLyapunov([[1, 2], [1, 2, 3]])).toThrow(RangeError);
  });
});
