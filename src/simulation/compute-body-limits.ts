import type { RouteBodyLimits } from '../common/body/body-limits.decorator';
import { AGGREGATE_LIMITS } from './gradient-input';

/** Compute bodies are a few numbers and booleans: no string of theirs needs more than this. */
export const COMPUTE_BODY_LIMITS: RouteBodyLimits = { maxStringBytes: 1024 };

/**
 * A gradient upload (`/federated/aggregate`, `/jobs/aggregate`): its own byte limit, one value per
 * gradient number plus the rows and a few scalar fields, what the matrix needs.
 */
export const AGGREGATE_BODY_LIMITS: RouteBodyLimits = {
  bytes: 'aggregate',
  maxValues: AGGREGATE_LIMITS.maxValues + AGGREGATE_LIMITS.maxClients + 256,
  maxContainers: AGGREGATE_LIMITS.maxClients + 32,
  maxStringBytes: COMPUTE_BODY_LIMITS.maxStringBytes,
};
