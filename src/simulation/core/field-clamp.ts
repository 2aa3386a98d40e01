import { FIELD_CLAMP_MAX_V, FIELD_CLAMP_MIN_V } from './constants';

// Local copies: read as constants rather than as module-object properties.
const CLAMP_MIN = FIELD_CLAMP_MIN_V;
const CLAMP_MAX = FIELD_CLAMP_MAX_V;

/**
 * A potential held to the ion range (volts), as after every step. The diffusion pass inlines the
 * same comparison in its loop (see field-diffusion.ts); this is for the cells handled one by one.
 */
export function clampField(x: number): number {
  return x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
}
