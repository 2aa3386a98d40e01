import { AppException, ErrorCode } from '../common';
import type { AppConfig } from '../config';
import { ComputeErrors } from '../simulation/compute-errors';
import type { ComputePoolService } from '../simulation/compute-pool.service';
import { JobFailure } from './job-errors';
import { JobExecutor } from './job-executor.service';

const CONFIG = { jobs: { maxResultBytes: 4096 } } as unknown as AppConfig;
const SIMULATE = { seed: 1, grid_size: 16, steps: 5, alpha: 0.18, spike_probability: 0.25, turing_enabled: true, threshold_mV: -95 };
const REPORT = { growthEvents: 1, potMinMv: -70, potMaxMv: -60, potMeanMv: -65, potStdMv: 1, fractalDimension: 1.2, activeFraction: 0.1 };

function executorWith(run: () => Promise<unknown>): JobExecutor {
  return new JobExecutor({ run } as unknown as ComputePoolService, CONFIG);
}

async function failureOf(promise: Promise<unknown>): Promise<JobFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof JobFailure) return err;
    throw err;
  }
  throw new Error('no failure');
}

describe('JobExecutor', () => {
  it('maps the result like the synchronous route and reports 0 then 100', async () => {
    const progress: number[] = [];
    const result = await executorWith(async () => ({ kind: 'simulate', output: REPORT, seconds: 0.01 })).execute(
      'id',
      'simulate',
      SIMULATE,
      new AbortController().signal,
      (p) => void progress.push(p),
    );
    expect(result).toMatchObject({ growth_events: 1, fractal_dimension: 1.2, pot_mean_mV: -65 });
    expect(progress).toEqual([0, 100]);
  });

  it("passes a simulation's step reports on in order, rising, about twenty times a run, before the final 100", async () => {
    const progress: number[] = [];
    let every = 0;
    const run = async (task: { progressEvery?: number; params: { steps: number } }, options: { onProgress?: (p: { step: number; totalSteps: number }) => void }) => {
      every = task.progressEvery ?? 0;
      for (let step = every; step <= task.params.steps; step += every) options.onProgress?.({ step, totalSteps: task.params.steps });
      options.onProgress?.({ step: 10, totalSteps: task.params.steps }); // a late, lower report is not a step back
      return { kind: 'simulate', output: REPORT, seconds: 0.01 };
    };
    // A slow sink: each report takes a while to be written; none may overtake another or the 100.
    const sink = async (p: number) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      progress.push(p);
    };
    await new JobExecutor({ run } as unknown as ComputePoolService, CONFIG).execute('id', 'simulate', { ...SIMULATE, steps: 1000 }, new AbortController().signal, sink);
    expect(every).toBe(50);
    expect(progress).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);
  });

  it('fails a non-finite result for good with the synchronous code', async () => {
    const f = await failureOf(
      executorWith(async () => ({ kind: 'simulate', output: { ...REPORT, fractalDimension: NaN }, seconds: 0 })).execute('id', 'simulate', SIMULATE, new AbortController().signal, () => undefined),
    );
    expect(f.error.code).toBe(ErrorCode.NUMERICAL_INSTABILITY);
    expect(f.retryable).toBe(false);
  });

  it('retries a lost worker thread, not a deadline', async () => {
    const lost = await failureOf(executorWith(() => Promise.reject(ComputeErrors.failed())).execute('id', 'simulate', SIMULATE, new AbortController().signal, () => undefined));
    expect(lost).toMatchObject({ retryable: true, error: { code: ErrorCode.COMPUTATION_FAILED } });
    const late = await failureOf(executorWith(() => Promise.reject(ComputeErrors.deadline(10))).execute('id', 'simulate', SIMULATE, new AbortController().signal, () => undefined));
    expect(late).toMatchObject({ retryable: false, error: { code: ErrorCode.GATEWAY_TIMEOUT } });
  });

  it('reports an aborted run as cancelled', async () => {
    const controller = new AbortController();
    const f = await failureOf(
      executorWith(() => {
        controller.abort();
        return Promise.reject(new AppException(ErrorCode.INVALID_REQUEST, 'The client closed the request', 499));
      }).execute('id', 'simulate', SIMULATE, controller.signal, () => undefined),
    );
    expect(f.cancelled).toBe(true);
  });

  it('fails a result over the size bound', async () => {
    const big = new Float32Array(2000).fill(0.123456);
    const gradients = [Array.from(big), Array.from(big)];
    const f = await failureOf(
      executorWith(async () => ({ kind: 'aggregate', output: big, seconds: 0 })).execute(
        'id',
        'aggregate',
        { gradients, num_clusters: 1, byzantine_fraction: 0 },
        new AbortController().signal,
        () => undefined,
      ),
    );
    expect(f).toMatchObject({ retryable: false, error: { code: ErrorCode.PAYLOAD_TOO_LARGE } });
  });
});
