import { injectGrowthSpike } from './growth-spikes';
import type { RandomSource } from './prng';

/** A source that records each draw and answers from a script. */
function scripted(doubles: number[], integers: number[], normals: number[]): RandomSource & { draws: string[] } {
  const draws: string[] = [];
  return {
    draws,
    nextDouble: () => (draws.push('double'), doubles.shift() ?? 0),
    uniform: () => (draws.push('uniform'), 0),
    integer: (bound) => (draws.push(`integer ${bound}`), integers.shift() ?? 0),
    normal: (mean, std) => (draws.push(`normal ${mean} ${std}`), mean + std * (normals.shift() ?? 0)),
  };
}

describe('injectGrowthSpike', () => {
  it('draws one uniform and nothing else when the spike does not fire', () => {
    const v = new Float64Array(16);
    const rng = scripted([0.5], [], []);
    expect(injectGrowthSpike(v, 4, 0.5, rng)).toBe(false);
    expect(rng.draws).toEqual(['double']);
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('then draws the row, the column and the amplitude, and adds it to that cell', () => {
    const v = new Float64Array(16).fill(-0.07);
    const rng = scripted([0.49], [2, 3], [1]);
    expect(injectGrowthSpike(v, 4, 0.5, rng)).toBe(true);
    expect(rng.draws).toEqual(['double', 'integer 4', 'integer 4', 'normal 0.02 0.005']);
    expect(v[2 * 4 + 3]).toBe(-0.07 + (0.02 + 0.005 * 1));
    expect(v.filter((x) => x !== -0.07)).toHaveLength(1);
  });
});
