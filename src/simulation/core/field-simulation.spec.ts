import fc from 'fast-check';
import { simulateField } from './field-simulation';
import { createRng } from './prng';

const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('simulateField', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const run = (seed: number) => simulateField({ gridSize: 16, steps: 50 }, createRng(seed));
    expect(Array.from(run(3).field)).toEqual(Array.from(run(3).field));
    expect(Array.from(run(3).field)).not.toEqual(Array.from(run(4).field));
  });

  it('preserves the spatial mean under periodic diffusion when nothing is injected', () => {
    const rng = createRng(9);
    const initial = simulateField({ gridSize: 32, steps: 0, turingEnabled: false }, createRng(9)).field;
    const after = simulateField({ gridSize: 32, steps: 200, spikeProbability: 0, turingEnabled: false, alpha: 0.25 }, rng).field;
    expect(Math.abs(mean(after) - mean(initial))).toBeLessThan(1e-15);
    // ...while smoothing it.
    const spread = (xs: Float64Array) => Math.max(...xs) - Math.min(...xs);
    expect(spread(after)).toBeLessThan(spread(initial) / 5);
  });

  it('counts one growth event per step at p = 1 and none at p = 0', () => {
    expect(simulateField({ gridSize: 8, steps: 37, spikeProbability: 1 }, createRng(1)).growthEvents).toBe(37);
    expect(simulateField({ gridSize: 8, steps: 37, spikeProbability: 0 }, createRng(1)).growthEvents).toBe(0);
  });

  it('adds the spike amplitude to the mean: +a/N^2 per spike without diffusion', () => {
    // alpha 0: the field only changes by spikes; the mean moves by about 20 mV / N^2 per spike.
    const n = 16;
    const before = simulateField({ gridSize: n, steps: 0, turingEnabled: false }, createRng(5)).field;
    const after = simulateField({ gridSize: n, steps: 400, spikeProbability: 1, alpha: 0, turingEnabled: false }, createRng(5));
    const perSpike = ((mean(after.field) - mean(before)) * n * n) / after.growthEvents;
    expect(perSpike).toBeGreaterThan(0.019);
    expect(perSpike).toBeLessThan(0.021);
  });

  it('pins an unstable field (alpha > 0.25) to the clamps as a checkerboard', () => {
    const { field } = simulateField({ gridSize: 16, steps: 64, alpha: 0.3 }, createRng(2));
    expect(Math.min(...field)).toBe(-0.095);
    expect(Math.max(...field)).toBe(0.04);
    expect(field[0] === -0.095 || field[0] === 0.04).toBe(true);
    expect(field[1]).not.toBe(field[0]);
  });

  it('turns the jitter field into a clamped random walk', () => {
    const { field } = simulateField({ gridSize: 32, steps: 64, quantumJitter: true }, createRng(3));
    const above = field.filter((v) => v > -0.06).length / field.length;
    expect(mean(field)).toBeGreaterThan(-0.045);
    expect(above).toBeGreaterThan(0.6);
    expect(Math.min(...field)).toBeGreaterThanOrEqual(-0.095);
    expect(Math.max(...field)).toBeLessThanOrEqual(0.04);
  });

  it('fires the Turing increment when the threshold is lowered (10x10, 300 steps, 0.05)', () => {
    const low = simulateField({ gridSize: 10, steps: 300, turingThreshold: 0.05 }, createRng(4));
    const normal = simulateField({ gridSize: 10, steps: 300 }, createRng(4));
    expect(mean(low.field)).toBeGreaterThan(mean(normal.field) + 0.001);
  });

  it('shifts the random stream by the 2 N^2 Turing draws even when the pair never fires', () => {
    const on = simulateField({ gridSize: 8, steps: 10 }, createRng(6)).field;
    const off = simulateField({ gridSize: 8, steps: 10, turingEnabled: false }, createRng(6)).field;
    const initialOnly = simulateField({ gridSize: 8, steps: 0 }, createRng(6)).field;
    expect(Array.from(on)).not.toEqual(Array.from(off));
    expect(Array.from(simulateField({ gridSize: 8, steps: 0, turingEnabled: false }, createRng(6)).field)).toEqual(Array.from(initialOnly));
  });

  it('gives bit-identical fields whether or not the provably inert Turing steps are skipped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 400 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.02, max: 0.9, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (gridSize, steps, alpha, spikeProbability, turingThreshold, quantumJitter, seed) => {
          const params = { gridSize, steps, alpha, spikeProbability, turingThreshold, quantumJitter };
          const fast = simulateField(params, createRng(seed));
          const exact = simulateField({ ...params, exactTuring: true }, createRng(seed));
          expect(Array.from(fast.field)).toEqual(Array.from(exact.field));
          expect(fast.growthEvents).toBe(exact.growthEvents);
        },
      ),
      { numRuns: 60, seed: 20240601 },
    );
  });

  it('switches from exact to skipped Turing steps mid-run without changing a bit', () => {
    // 1000 steps at the service threshold: the first few hundred are integrated, the rest skipped.
    for (const [gridSize, seed] of [
      [32, 1],
      [9, 2],
    ]) {
      const fast = simulateField({ gridSize, steps: 1000 }, createRng(seed));
      const exact = simulateField({ gridSize, steps: 1000, exactTuring: true }, createRng(seed));
      expect(Array.from(fast.field)).toEqual(Array.from(exact.field));
    }
  });

  it('refuses parameters it cannot simulate', () => {
    expect(() => simulateField({ gridSize: 0 }, createRng(1))).toThrow(RangeError);
    expect(() => simulateField({ steps: -1 }, createRng(1))).toThrow(RangeError);
    expect(() => simulateField({ spikeProbability: 1.5 }, createRng(1))).toThrow(RangeError);
    expect(() => simulateField({ alpha: Number.NaN }, createRng(1))).toThrow(RangeError);
  });
});
