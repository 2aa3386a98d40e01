import { DEFAULT_COMPUTE_WORK_LIMIT } from '../config';
import { AGGREGATE_LIMITS } from './gradient-input';
import { MIN_COST, aggregateCost, simulateCost, validateCost, workCostOf, type ValidateCostParams } from './compute-cost';

/** The request bounds of the DTOs (src/simulation/dto) and of gradient-input.ts. */
const GRIDS = [8, 9, 16, 32, 64, 100, 128, 200, 256];
const STEPS = [1, 2, 10, 64, 100, 500, 999, 1000];
const EPOCHS = [1, 2, 10, 50, 100];
const BATCHES = [1, 2, 3, 4, 8, 15, 16, 17, 32, 64];

const HEAVIEST_VALIDATE: ValidateCostParams = { gridSize: 256, steps: 1000, epochs: 100, batchSize: 1, quantumJitter: true };

function expectNonDecreasing(values: number[]): void {
  // eslint-disable-next-line security/detect-object-injection -- integer index into an array of numbers
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
}

describe('work cost of compute requests', () => {
  it('is a whole number of units, at least 1 for the lightest requests', () => {
    expect(simulateCost(8, 1)).toBe(MIN_COST);
    expect(validateCost({ gridSize: 8, steps: 1, epochs: 1, batchSize: 64, quantumJitter: false })).toBe(MIN_COST);
    expect(aggregateCost(1, 1, 10)).toBe(MIN_COST);
    for (const g of GRIDS) for (const s of STEPS) expect(Number.isInteger(simulateCost(g, s))).toBe(true);
  });

  it('counts /simulate as grid_size^2 x steps, one unit per million cell-steps', () => {
    expect(simulateCost(256, 1000)).toBe(66); // 65.536 million cell-steps
    expect(simulateCost(128, 200)).toBe(4); // 3.28 million
    expect(simulateCost(64, 64)).toBe(1);
  });

  it('grows with grid_size and steps of /simulate', () => {
    for (const s of STEPS) expectNonDecreasing(GRIDS.map((g) => simulateCost(g, s)));
    for (const g of GRIDS) expectNonDecreasing(STEPS.map((s) => simulateCost(g, s)));
    expect(simulateCost(256, 1000)).toBeGreaterThan(simulateCost(128, 1000));
  });

  it('counts /validate as 17 fields (ten times heavier with jitter) plus its training steps', () => {
    expect(validateCost({ gridSize: 64, steps: 64, epochs: 1, batchSize: 4, quantumJitter: false })).toBe(6); // 4.46 + 1
    expect(validateCost({ gridSize: 256, steps: 100, epochs: 1, batchSize: 4, quantumJitter: true })).toBe(1116); // 1114.1 + 1
    expect(validateCost({ gridSize: 8, steps: 1, epochs: 100, batchSize: 1, quantumJitter: false })).toBe(401); // 1,600 Adam steps
    expect(validateCost(HEAVIEST_VALIDATE)).toBe(11_542);
  });

  it('grows with every /validate parameter that adds work, and falls with the batch size', () => {
    const base: ValidateCostParams = { gridSize: 64, steps: 64, epochs: 10, batchSize: 4, quantumJitter: false };
    expectNonDecreasing(GRIDS.map((gridSize) => validateCost({ ...base, gridSize })));
    expectNonDecreasing(STEPS.map((steps) => validateCost({ ...base, steps })));
    expectNonDecreasing(EPOCHS.map((epochs) => validateCost({ ...base, epochs })));
    expectNonDecreasing(BATCHES.map((batchSize) => -validateCost({ ...base, batchSize })));
    for (const g of GRIDS) {
      for (const s of STEPS) {
        expect(validateCost({ ...base, gridSize: g, steps: s, quantumJitter: true })).toBeGreaterThanOrEqual(validateCost({ ...base, gridSize: g, steps: s }));
      }
    }
    expect(validateCost({ ...base, gridSize: 256, steps: 1000, quantumJitter: true })).toBeGreaterThan(validateCost({ ...base, gridSize: 256, steps: 1000 }));
  });

  it('counts /federated/aggregate by its pairwise distances: growing with the dimension and, below the sampling threshold, the clients', () => {
    expect(aggregateCost(1000, 2000, 1)).toBe(401); // ≈ 500,000 pairs of 2,000 coordinates
    expect(aggregateCost(1000, 2000, 10)).toBe(41);
    const dims = [1, 10, 100, 1000, 2000];
    for (const k of [1, 10, 1000]) expectNonDecreasing(dims.map((d) => aggregateCost(1000, d, k)));
    const clients = [1, 2, 10, 100, 500, 1000];
    for (const k of [1, 10, 1000]) expectNonDecreasing(clients.map((n) => aggregateCost(n, 2000, k)));
    // Above 1,000 clients a 10 % sample is aggregated: the work (and the cost) drops, then grows again.
    expect(aggregateCost(1001, 1000, 1)).toBeLessThan(aggregateCost(1000, 1000, 1));
    expectNonDecreasing([1001, 2000, 5000, 10_000].map((n) => aggregateCost(n, 200, 1)));
  });

  it('never exceeds the default work budget for any valid request, and the heaviest fills most of it', () => {
    let heaviest = 0;
    for (const gridSize of GRIDS) {
      for (const steps of STEPS) {
        heaviest = Math.max(heaviest, simulateCost(gridSize, steps));
        for (const epochs of EPOCHS) {
          for (const batchSize of BATCHES) {
            for (const quantumJitter of [false, true]) heaviest = Math.max(heaviest, validateCost({ gridSize, steps, epochs, batchSize, quantumJitter }));
          }
        }
      }
    }
    for (const n of [1, 10, 100, 999, 1000, 1001, 5000, AGGREGATE_LIMITS.maxClients]) {
      const d = Math.floor(AGGREGATE_LIMITS.maxValues / n);
      for (const k of [1, 2, 10, 31, 100, 500, 1000]) heaviest = Math.max(heaviest, aggregateCost(n, d, k));
    }
    expect(heaviest).toBe(validateCost(HEAVIEST_VALIDATE));
    expect(heaviest).toBeLessThanOrEqual(DEFAULT_COMPUTE_WORK_LIMIT);
    expect(heaviest).toBeGreaterThan(DEFAULT_COMPUTE_WORK_LIMIT * 0.9);
  });

  it('prices each task kind with its own formula', () => {
    const simulate = { seed: 1, gridSize: 256, steps: 1000, alpha: 0.18, spikeProbability: 0.25, turingEnabled: true, thresholdMv: -60 };
    expect(workCostOf({ kind: 'simulate', params: simulate })).toBe(66);
    expect(workCostOf({ kind: 'validate', params: { seed: 1, turingEnabled: true, ...HEAVIEST_VALIDATE } })).toBe(11_542);
    const values = new Float32Array(1000 * 2000);
    expect(workCostOf({ kind: 'aggregate', values, clients: 1000, dimension: 2000, numClusters: 10, byzantineFraction: 0.2, seed: 42 })).toBe(41);
  });
});
