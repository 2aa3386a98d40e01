"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_worker_threads_1 = require("node:worker_threads");
const thread_priority_1 = require("../thread-priority");
const split_run_1 = require("./split-run");
/**
 * The second thread of a field run split by rows (see split-run.ts). Started by a compute worker
 * thread and owned by it: it lives as long as that thread and runs one half-run per message.
 */
(0, thread_priority_1.lowerThreadPriority)();
node_worker_threads_1.parentPort?.on('message', (job) => {
    try {
        (0, split_run_1.stepSide)(job);
        node_worker_threads_1.parentPort?.postMessage({ ok: true });
    }
    catch (err) {
        (0, split_run_1.abandon)(job.control);
        node_worker_threads_1.parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.name : 'Error' });
    }
});
//# sourceMappingURL=field-partner.worker.js.map