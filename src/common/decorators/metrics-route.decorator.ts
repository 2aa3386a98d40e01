import { SetMetadata } from '@nestjs/common';

export const METRICS_ROUTE_KEY = 'mfn:metricsRoute';

/**
 * Marks the Prometheus scrape route. It is public like the health probes unless
 * MFN_METRICS_INCLUDE_IN_AUTH=true, in which case the API-key guard requires a key with the
 * `metrics` (or `admin`) role.
 */
export const MetricsRoute = (): MethodDecorator & ClassDecorator => SetMetadata(METRICS_ROUTE_KEY, true);
