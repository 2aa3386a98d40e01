"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMPUTE_THREAD_NICE_INCREMENT = void 0;
exports.lowerThreadPriority = lowerThreadPriority;
const node_os_1 = require("node:os");
/** How much less CPU priority the compute threads get than the event loop. */
exports.COMPUTE_THREAD_NICE_INCREMENT = 10;
/**
 * On Linux the nice value belongs to the thread, so raising it in a compute thread leaves the
 * event loop (HTTP, health probes) ahead of the computations whenever the CPU is contended.
 * Elsewhere it would apply to the whole process, so it is left alone.
 */
function lowerThreadPriority() {
    if (process.platform !== 'linux')
        return;
    try {
        (0, node_os_1.setPriority)(0, Math.min(19, (0, node_os_1.getPriority)(0) + exports.COMPUTE_THREAD_NICE_INCREMENT));
    }
    catch {
        // Not permitted in this environment: run at normal priority.
    }
}
//# sourceMappingURL=thread-priority.js.map