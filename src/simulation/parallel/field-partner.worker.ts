import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority';
import { SplitRunJob, abandon, stepSide } from './split-run';

/**
 * The second thread of a field run split by rows (see split-run.ts). Started by a compute worker
 * thread and owned by it: it lives as long as that thread and runs one half-run per message.
 */
lowerThreadPriority();

parentPort?.on('message', (job: SplitRunJob) => {
  try {
    stepSide(job);
    parentPort?.postMessage({ ok: true });
  } catch (err) {
    abandon(job.control);
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.name : 'Error' });
  }
});
