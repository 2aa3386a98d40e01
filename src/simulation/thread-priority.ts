import { getPriority, setPriority } from 'node:os';

/** How much less CPU priority the compute threads get than the event loop. */
export const COMPUTE_THREAD_NICE_INCREMENT = 10;

/**
 * On Linux the nice value belongs to the thread, so raising it in a compute thread leaves the
 * event loop (HTTP, health probes) ahead of the computations whenever the CPU is contended.
 * Elsewhere it would apply to the whole process, so it is left alone.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, Math.min(19, getPriority(0) + COMPUTE_THREAD_NICE_INCREMENT));
  } catch {
    // Not permitted in this environment: run at normal priority.
  }
}
