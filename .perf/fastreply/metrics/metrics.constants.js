"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.METRICS_TOKEN_SECRET = exports.METRICS_PATH = exports.PROMETHEUS_CONTENT_TYPE = void 0;
/** Prometheus text exposition format 0.0.4, exactly as scrapers expect it (one charset, this order). */
exports.PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** The scrape path. */
exports.METRICS_PATH = '/metrics';
/** Secret that, when set, puts the scrape route behind `Authorization: Bearer <token>`. */
exports.METRICS_TOKEN_SECRET = 'MFN_METRICS_TOKEN';
//# sourceMappingURL=metrics.constants.js.map