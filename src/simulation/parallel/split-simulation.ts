import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  SimulationReport,
  SimulationRequest,
  allocateStepBuffers,
  applyFirstSpike,
  createRng,
  fieldParamsOf,
  planFieldRun,
  reportSimulation,
  runSimulation,
  simulationRequestOf,
} from '../core';
import { SplitRunError, SplitRunJob, abandon, newControl, sharedFloat64, stepSide } from './split-run';

const PARTNER_FILE = 'field-partner.worker.js';
/** Longest wait at one step's barrier: far above a step (~1 ms) and a thread start (~50 ms). */
const BARRIER_TIMEOUT_MS = 5_000;
/** Same heap cap as the pool's threads. */
const PARTNER_HEAP_MB = 256;

/** The compiled partner script: beside this module in dist/, else under <project root>/dist (tests run from sources). */
export function resolvePartnerFile(moduleDir: string = __dirname): string {
  const candidates = [join(moduleDir, PARTNER_FILE), resolve(moduleDir, '..', '..', '..', 'dist', 'simulation', 'parallel', PARTNER_FILE)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${PARTNER_FILE} not found: run npm run build`);
  return found;
}

/**
 * The partner thread of this compute thread, started on first use and kept. It dies with this
 * thread (the pool replaces a thread after a crash or a cancelled task, partner included).
 */
let partner: Worker | undefined;
let currentControl: Int32Array | undefined;

function partnerThread(): Worker {
  if (partner) return partner;
  const worker = new Worker(resolvePartnerFile(), { resourceLimits: { maxOldGenerationSizeMb: PARTNER_HEAP_MB } });
  const drop = () => {
    if (partner === worker) partner = undefined;
    // Wake this thread if it is waiting at a barrier for a partner that is gone.
    if (currentControl) abandon(currentControl);
  };
  worker.on('error', drop);
  worker.on('exit', drop);
  worker.unref();
  partner = worker;
  return worker;
}

/**
 * /simulate with the field split by rows between this thread and its partner: the same plan,
 * the same arithmetic per cell, so the report is bit-identical to runSimulation's. If the
 * partner fails, the run is repeated on this thread alone (same seed, same answer).
 */
export function runSimulationSplit(options: Partial<SimulationRequest>): SimulationReport {
  const req = simulationRequestOf(options);
  const plan = planFieldRun(fieldParamsOf(req), createRng(req.seed), sharedFloat64);
  const n = plan.params.gridSize;
  if (n < 4 || plan.params.steps === 0) return runSimulation(req);
  const buffers = allocateStepBuffers(plan, sharedFloat64);
  const { control, ranges } = newControl();
  applyFirstSpike(plan);
  const half = n >> 1;
  const job: Omit<SplitRunJob, 'rowStart' | 'rowEnd' | 'side'> = {
    ...plan,
    buffers,
    control,
    ranges,
    barrierTimeoutMs: BARRIER_TIMEOUT_MS,
  };
  currentControl = control;
  try {
    partnerThread().postMessage({ ...job, rowStart: half, rowEnd: n, side: 1 });
    const stepper = stepSide({ ...job, rowStart: 0, rowEnd: half, side: 0 });
    return reportSimulation(req, stepper.field, n, plan.growthEvents);
  } catch (err) {
    if (!(err instanceof SplitRunError)) throw err;
    void partner?.terminate();
    partner = undefined;
    return runSimulation(req);
  } finally {
    currentControl = undefined;
  }
}
