"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsRoute = exports.METRICS_ROUTE_KEY = void 0;
const common_1 = require("@nestjs/common");
exports.METRICS_ROUTE_KEY = 'mfn:metricsRoute';
/**
 * Marks the Prometheus scrape route. It is public like the health probes unless
 * MFN_METRICS_INCLUDE_IN_AUTH=true, in which case the API-key guard requires a key with the
 * `metrics` (or `admin`) role.
 */
const MetricsRoute = () => (0, common_1.SetMetadata)(exports.METRICS_ROUTE_KEY, true);
exports.MetricsRoute = MetricsRoute;
//# sourceMappingURL=metrics-route.decorator.js.map