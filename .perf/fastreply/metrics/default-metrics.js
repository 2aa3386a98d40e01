"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureDefaultMetrics = ensureDefaultMetrics;
const prom_client_1 = require("prom-client");
/** A metric that collectDefaultMetrics always registers; its presence means the collectors run. */
const DEFAULT_METRIC_MARKER = 'process_cpu_user_seconds_total';
/**
 * Starts prom-client's Node process collectors (CPU, memory, event-loop lag, GC, handles) once per
 * process. prom-client throws when they are registered twice, which would happen whenever a second
 * app is built in the same process, so the registry is checked first.
 */
function ensureDefaultMetrics() {
    if (prom_client_1.register.getSingleMetric(DEFAULT_METRIC_MARKER))
        return;
    (0, prom_client_1.collectDefaultMetrics)();
}
//# sourceMappingURL=default-metrics.js.map