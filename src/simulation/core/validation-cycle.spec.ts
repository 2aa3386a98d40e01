import { readGolden } from '../../../test/helpers/golden';
import { MyceliumNetwork } from './network';
import { createRng } from './prng';
import { VALIDATION_SAMPLES, buildValidationDataset, runValidationCycle, trainNetwork } from './validation-cycle';

interface ValidateGolden {
  dataset_features_seeds_0_19: { target: { mean: number; std: number } };
}

describe('validation cycle', () => {
  const config = { seed: 3, epochs: 1, batchSize: 4, gridSize: 32, steps: 32, turingEnabled: true, quantumJitter: false };

  it('builds 16 float32 samples: D, mean*100, std*100, max*100 and the float32 target', () => {
    const ds = buildValidationDataset(config, createRng(3));
    expect(ds.features).toBeInstanceOf(Float32Array);
    expect(ds.features).toHaveLength(VALIDATION_SAMPLES * 4);
    for (let s = 0; s < VALIDATION_SAMPLES; s++) {
      const [d, mean100, std100, max100] = ds.features.subarray(s * 4, s * 4 + 4);
      expect(d).toBe(0); // nothing reaches -60 mV at these parameters
      expect(mean100).toBeGreaterThan(-7.1);
      expect(mean100).toBeLessThan(-6.9);
      expect(std100).toBeGreaterThan(0);
      expect(max100).toBeGreaterThan(mean100);
      const f = Math.fround;
      const target = f(f(f(f(0.5) * d) + f(f(0.2) * mean100)) - f(f(0.1) * std100));
      expect(ds.targets[s]).toBe(target);
    }
    expect(ds.potMaxV).toBeGreaterThan(ds.potMinV);
  });

  it('has the reference target distribution (essentially constant near -1.4017)', () => {
    const { target } = readGolden<ValidateGolden>('validate_stats.json').dataset_features_seeds_0_19;
    const ds = buildValidationDataset({ ...config, gridSize: 64, steps: 64 }, createRng(11));
    for (const y of ds.targets) expect(Math.abs(y - target.mean)).toBeLessThan(6 * target.std);
  });

  it('records one loss per batch, the last batch possibly smaller', () => {
    const ds = buildValidationDataset(config, createRng(4));
    const net = MyceliumNetwork.initialised(createRng(4, 1));
    expect(trainNetwork(net, ds, 2, 5, createRng(4, 1))).toHaveLength(8); // 5, 5, 5, 1 per epoch
    expect(trainNetwork(net, ds, 1, 64, createRng(4, 1))).toHaveLength(1);
  });

  it('reports losses before each update, the example field and the constants', () => {
    const r = runValidationCycle(config);
    expect(r.lossDrop).toBe(r.lossStart - r.lossFinal);
    expect(r.exampleFractalDim).toBe(0);
    expect(Number.isInteger(r.growthEvents)).toBe(true);
    expect(r.nernstSymbolicMv).toBe(-89.01066911987905);
    expect(r.nernstNumericMv).toBe(-89.01066911987907);
    expect(runValidationCycle(config)).toEqual(r);
    expect(runValidationCycle({ ...config, seed: 4 })).not.toEqual(r);
  });

  it('refuses configurations it cannot run', () => {
    expect(() => runValidationCycle({ epochs: 0 })).toThrow(RangeError);
    expect(() => runValidationCycle({ batchSize: 0 })).toThrow(RangeError);
    expect(() => runValidationCycle({ seed: -1 })).toThrow(RangeError);
  });
});
