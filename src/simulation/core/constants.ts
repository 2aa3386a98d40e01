/** Constants of the model. Potentials are in volts unless a name says mV. */

// Nernst potential: E = (R T / z F) ln([out] / [in]) (nernst.ts)
export const GAS_CONSTANT_R = 8.314; // J/(mol K)
export const FARADAY_F = 96485.33212; // C/mol
export const DEFAULT_TEMPERATURE_K = 310.0;
export const ION_CLAMP_MIN_MOLAR = 1e-6;

// Field simulation: diffusion, growth spikes and clamping of the potential field (field-*.ts)
export const FIELD_INITIAL_MEAN_V = -0.07;
export const FIELD_INITIAL_STD_V = 0.005;
export const SPIKE_AMPLITUDE_MEAN_V = 0.02;
export const SPIKE_AMPLITUDE_STD_V = 0.005;
export const FIELD_CLAMP_MIN_V = -0.095;
export const FIELD_CLAMP_MAX_V = 0.04;
export const DEFAULT_GRID_SIZE = 64;
export const DEFAULT_STEPS = 64;
export const DEFAULT_ALPHA = 0.18;
export const DEFAULT_SPIKE_PROBABILITY = 0.25;

// Turing activator/inhibitor pair (turing-rows.ts states the update)
export const TURING_ACTIVATOR_DIFFUSION = 0.1;
export const TURING_INHIBITOR_DIFFUSION = 0.05;
export const TURING_ACTIVATOR_RATE = 0.01;
export const TURING_INHIBITOR_RATE = 0.02;
export const TURING_THRESHOLD = 0.75;
export const TURING_FIELD_INCREMENT_V = 0.005;
export const TURING_INITIAL_MAX = 0.1;

// Optional noise added to the field after each step (`quantum_jitter`)
export const JITTER_VARIANCE_V2 = 0.0005;

/** Cells strictly above this potential count as active (the box-counting mask). */
export const ACTIVE_THRESHOLD_V = -0.06;

// Iterated function system (ifs.ts) as used by the validation cycle
export const VALIDATION_IFS_POINTS = 1000;
export const IFS_TRANSFORMS = 4;
