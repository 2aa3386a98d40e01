import {
  FieldStepper,
  TuringBounds,
  allocateStepBuffers,
  applyFirstSpike,
  combineBounds,
  createRng,
  planFieldRun,
  runSimulation,
  simulateField,
} from '../src/simulation/core';
import { runSimulationSplit } from '../src/simulation/parallel/split-simulation';

/**
 * A large /simulate may be split by rows across two threads (the pool decides). The split must
 * not change a single bit of the answer. Uses the compiled partner thread (npm run build).
 */
describe('field run split across two threads', () => {
  it.each([
    { seed: 1, gridSize: 128, steps: 300 },
    { seed: 2, gridSize: 65, steps: 120, alpha: 0.3, spikeProbability: 1 },
    { seed: 3, gridSize: 33, steps: 80, turingEnabled: false },
    { seed: 4, gridSize: 9, steps: 40 },
    { seed: 5, gridSize: 4, steps: 10 },
  ])('gives the single-thread report bit for bit: %j', (request) => {
    expect(JSON.stringify(runSimulationSplit(request))).toBe(JSON.stringify(runSimulation(request)));
  });

  it('steps the same field with any row split, including a firing activator pair', () => {
    // Same plan stepped whole, and in three row ranges per step (as threads would): identical.
    const params = { gridSize: 10, steps: 300, turingThreshold: 0.05, spikeProbability: 0.8 };
    const run = (ranges: [number, number][]) => {
      const plan = planFieldRun(params, createRng(4));
      // One shared set of next buffers: every stepper writes its rows of the same arrays.
      const shared = allocateStepBuffers(plan);
      const views = ranges.map(() => new FieldStepper(plan, shared));
      applyFirstSpike(plan);
      for (let t = 0; t < params.steps; t++) {
        const check = views[0].isHorizonCheck(t);
        ranges.forEach(([a, b], i) => views[i].stepRows(t, a, b, check));
        const bounds: TuringBounds | undefined = check ? combineBounds(views.map((v) => v.rowBounds)) : undefined;
        views.forEach((v) => v.finishStep(t, bounds));
      }
      return Array.from(views[0].field);
    };
    const whole = run([[0, 10]]);
    expect(whole).toEqual(Array.from(simulateField(params, createRng(4)).field));
    expect(run([[0, 3], [3, 7], [7, 10]])).toEqual(whole);
    expect(run([[0, 5], [5, 10]])).toEqual(whole);
  });
});
