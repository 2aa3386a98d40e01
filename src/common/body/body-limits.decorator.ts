import { SetMetadata } from '@nestjs/common';

/**
 * What one route's JSON body may hold, chosen from its DTO: `bytes` picks the configured byte
 * limit (MFN_MAX_BODY_BYTES, or MFN_AGGREGATE_MAX_BYTES for the gradient upload); the counts bound
 * what parsing the body may allocate. Unset fields take DEFAULT_BODY_SHAPE.
 */
export interface RouteBodyLimits {
  bytes?: 'default' | 'aggregate';
  maxValues?: number;
  maxContainers?: number;
  /** Longest string in bytes; defaults to the byte limit (payload fields carry long base64). */
  maxStringBytes?: number;
}

/** JSON nested deeper than this is refused: no request of the API nests beyond three levels. */
export const MAX_JSON_DEPTH = 32;

/** Room for every field of the service's DTOs, plus unknown fields older clients send (stripped). */
export const DEFAULT_BODY_SHAPE = Object.freeze({ maxValues: 256, maxContainers: 32 });

export const BODY_LIMITS_KEY = 'mfn:body-limits';

/** Declares a route's body limits (read by JsonBodyGuard). */
export const BodyLimits = (limits: RouteBodyLimits): MethodDecorator & ClassDecorator => SetMetadata(BODY_LIMITS_KEY, limits);
