import { DEFAULT_TEMPERATURE_K, FARADAY_F, GAS_CONSTANT_R, ION_CLAMP_MIN_MOLAR } from './constants';

/**
 * Nernst equilibrium potential in volts:
 * E = ((R*T) / (z*F)) * ln(max(c_out, 1e-6) / max(c_in, 1e-6)), evaluated in exactly that order
 * so results match the reference to the last bit of `ln`.
 * @throws RangeError when z is 0 (the potential is undefined).
 */
export function nernstPotential(
  zValence: number,
  concentrationOutMolar: number,
  concentrationInMolar: number,
  temperatureK: number = DEFAULT_TEMPERATURE_K,
): number {
  if (zValence === 0) throw new RangeError('valence z must be non-zero');
  const cOut = Math.max(concentrationOutMolar, ION_CLAMP_MIN_MOLAR);
  const cIn = Math.max(concentrationInMolar, ION_CLAMP_MIN_MOLAR);
  const ratio = cOut / cIn;
  return ((GAS_CONSTANT_R * temperatureK) / (zValence * FARADAY_F)) * Math.log(ratio);
}
