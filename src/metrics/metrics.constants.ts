/** Prometheus text exposition format 0.0.4, exactly as scrapers expect it (one charset, this order). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The scrape path. */
export const METRICS_PATH = '/metrics';

/** Secret that, when set, puts the scrape route behind `Authorization: Bearer <token>`. */
export const METRICS_TOKEN_SECRET = 'MFN_METRICS_TOKEN';
