import { summarise } from '../../../test/helpers/statistics';
import { RNG_STREAM, Xoshiro128StarStar, createRng, permutation } from './prng';

describe('Xoshiro128StarStar', () => {
  // First outputs of the authors' C reference (xoshiro128** 1.1 seeded by two SplitMix64 words,
  // low half first), compiled with gcc: an independent implementation, not this one.
  const KNOWN: [number, number, number[]][] = [
    [0, 0, [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774, 3260698944, 2754151956]],
    [42, 0, [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222, 2940343271, 2244566231]],
    [4294967295, 0, [331202089, 2303545133, 2732085799, 1755962312, 20464611, 435992899, 115300070, 2552219694]],
    [7, 1, [885300197, 860744850, 2497068015, 1295037629, 1865297392, 925105747, 1501593802, 1593176813]],
  ];

  it.each(KNOWN)('seed %d stream %d matches the C reference output', (seed, stream, expected) => {
    const rng = new Xoshiro128StarStar(seed, stream);
    expect(Array.from({ length: expected.length }, () => rng.nextUint32())).toEqual(expected);
  });

  it('gives the same stream for the same seed and different streams otherwise', () => {
    const draw = (seed: number, stream = 0) => {
      const r = createRng(seed, stream);
      return Array.from({ length: 16 }, () => r.nextDouble());
    };
    expect(draw(123)).toEqual(draw(123));
    expect(draw(123)).not.toEqual(draw(124));
    expect(draw(123, RNG_STREAM.MAIN)).not.toEqual(draw(123, RNG_STREAM.NETWORK));
  });

  it('rejects seeds that are negative, fractional or unsafe', () => {
    expect(() => createRng(-1)).toThrow(RangeError);
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(2 ** 53)).toThrow(RangeError);
    expect(() => createRng(1, 5000)).toThrow(RangeError);
  });

  it('draws doubles in [0, 1) with the moments of a uniform distribution', () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 200_000 }, () => rng.nextDouble());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const s = summarise(xs);
    // Standard errors: mean 0.00065, std about 0.0005.
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(s.std - Math.sqrt(1 / 12))).toBeLessThan(0.003);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 200_000 }, () => rng.normal(-70, 5));
    const s = summarise(xs);
    expect(Math.abs(s.mean + 70)).toBeLessThan(0.05); // 4.5 standard errors
    expect(Math.abs(s.std - 5)).toBeLessThan(0.05);
    // Tails: about 0.27% beyond 3 sigma.
    const beyond = xs.filter((x) => Math.abs(x + 70) > 15).length / xs.length;
    expect(beyond).toBeGreaterThan(0.0018);
    expect(beyond).toBeLessThan(0.0036);
  });

  it('draws bounded integers covering every value evenly', () => {
    const rng = createRng(3);
    const counts = new Array(7).fill(0);
    for (let k = 0; k < 70_000; k++) counts[rng.integer(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(450); // ~4.8 sigma
    expect(() => rng.integer(0)).toThrow(RangeError);
    expect(rng.integer(1)).toBe(0);
    const big = rng.integer(2 ** 32);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(big).toBeLessThan(2 ** 32);
  });

  it('produces permutations with every element once and no fixed order', () => {
    const rng = createRng(4);
    const first = Array.from(permutation(16, rng));
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    const positionOfZero = new Array(4).fill(0);
    for (let k = 0; k < 4000; k++) positionOfZero[Array.from(permutation(4, rng)).indexOf(0)]++;
    for (const c of positionOfZero) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
