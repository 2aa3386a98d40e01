/** Physical constants of the model (NUMERICS.md §1). */
export const GAS_CONSTANT_R = 8.314; // J/(mol K)
export const FARADAY_F = 96485.33212; // C/mol
export const DEFAULT_TEMPERATURE_K = 310.0;
export const ION_CLAMP_MIN_MOLAR = 1e-6;
