import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Heap in use after full garbage collections, so growth means retained memory, not garbage not
 * yet collected. `gc` is exposed at run time; jest does not start workers with --expose-gc.
 */
export function heapUsedAfterGc(): number {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;
