import { ComputePoolService } from '../src/simulation/compute-pool.service';
import type { ComputeProgress } from '../src/simulation/compute-task';
import { runSimulation } from '../src/simulation/core';
import { createTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/until';

/** The pool's progress channel (ComputeRunOptions.onProgress) through real worker threads. */
jest.setTimeout(120_000);

const PARAMS = { seed: 11, gridSize: 16, steps: 23, alpha: 0.18, spikeProbability: 0.3, turingEnabled: true, thresholdMv: -60 };

describe('ComputePoolService onProgress', () => {
  let t: TestApp;
  let pool: ComputePoolService;

  beforeAll(async () => {
    t = await createTestApp({ MFN_COMPUTE_WORKERS: '1' });
    pool = t.app.get(ComputePoolService);
  });
  afterAll(async () => t.close());

  it('delivers every progressEvery-th step and the last, in order, all before run() resolves', async () => {
    const seen: ComputeProgress[] = [];
    const result = await pool.run({ kind: 'simulate', params: PARAMS, progressEvery: 5 }, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.step)).toEqual([5, 10, 15, 20, 23]);
    expect(seen.every((p) => p.totalSteps === 23 && p.gridSize === 16)).toBe(true);
    // The task's result is unchanged by the channel, and the last report is the final field.
    expect(result.output).toEqual(runSimulation(PARAMS));
    expect(seen.at(-1)).toMatchObject({ potMeanMv: result.output.potMeanMv, growthEvents: result.output.growthEvents, fractalDimension: result.output.fractalDimension });
  });

  it('runs without a channel as before', async () => {
    const result = await pool.run({ kind: 'simulate', params: PARAMS });
    expect(result.output).toEqual(runSimulation(PARAMS));
  });

  it('an abort mid-run cancels the task: no report after the rejection', async () => {
    const controller = new AbortController();
    let reports = 0;
    const run = pool.run(
      { kind: 'simulate', params: { ...PARAMS, gridSize: 256, steps: 1000 }, progressEvery: 1 },
      { signal: controller.signal, onProgress: () => reports++ },
    );
    await until('the first reports', () => reports > 0);
    controller.abort();
    await expect(run).rejects.toMatchObject({ status: 499 });
    const after = reports;
    // A later task runs on the replaced thread; the cancelled one reported no more.
    await pool.run({ kind: 'simulate', params: PARAMS });
    expect(reports).toBe(after);
    expect(after).toBeLessThan(1000);
  });
});
