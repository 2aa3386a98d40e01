"use strict";
/** Constants of the model (NUMERICS.md §1). Potentials are in volts unless a name says mV. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.IFS_TRANSFORMS = exports.VALIDATION_IFS_POINTS = exports.ACTIVE_THRESHOLD_V = exports.JITTER_VARIANCE_V2 = exports.TURING_INITIAL_MAX = exports.TURING_FIELD_INCREMENT_V = exports.TURING_THRESHOLD = exports.TURING_INHIBITOR_RATE = exports.TURING_ACTIVATOR_RATE = exports.TURING_INHIBITOR_DIFFUSION = exports.TURING_ACTIVATOR_DIFFUSION = exports.DIFFUSION_STABILITY_LIMIT = exports.DEFAULT_SPIKE_PROBABILITY = exports.DEFAULT_ALPHA = exports.DEFAULT_STEPS = exports.DEFAULT_GRID_SIZE = exports.FIELD_CLAMP_MAX_V = exports.FIELD_CLAMP_MIN_V = exports.SPIKE_AMPLITUDE_STD_V = exports.SPIKE_AMPLITUDE_MEAN_V = exports.FIELD_INITIAL_STD_V = exports.FIELD_INITIAL_MEAN_V = exports.ION_CLAMP_MIN_MOLAR = exports.DEFAULT_TEMPERATURE_K = exports.FARADAY_F = exports.GAS_CONSTANT_R = void 0;
// Nernst (§2)
exports.GAS_CONSTANT_R = 8.314; // J/(mol K)
exports.FARADAY_F = 96485.33212; // C/mol
exports.DEFAULT_TEMPERATURE_K = 310.0;
exports.ION_CLAMP_MIN_MOLAR = 1e-6;
// Field simulation (§3)
exports.FIELD_INITIAL_MEAN_V = -0.07;
exports.FIELD_INITIAL_STD_V = 0.005;
exports.SPIKE_AMPLITUDE_MEAN_V = 0.02;
exports.SPIKE_AMPLITUDE_STD_V = 0.005;
exports.FIELD_CLAMP_MIN_V = -0.095;
exports.FIELD_CLAMP_MAX_V = 0.04;
exports.DEFAULT_GRID_SIZE = 64;
exports.DEFAULT_STEPS = 64;
exports.DEFAULT_ALPHA = 0.18;
exports.DEFAULT_SPIKE_PROBABILITY = 0.25;
/** Explicit diffusion amplifies the checkerboard mode by |1 - 8 alpha|: stable only up to 0.25. */
exports.DIFFUSION_STABILITY_LIMIT = 0.25;
// Turing activator/inhibitor (§3.3)
exports.TURING_ACTIVATOR_DIFFUSION = 0.1;
exports.TURING_INHIBITOR_DIFFUSION = 0.05;
exports.TURING_ACTIVATOR_RATE = 0.01;
exports.TURING_INHIBITOR_RATE = 0.02;
exports.TURING_THRESHOLD = 0.75;
exports.TURING_FIELD_INCREMENT_V = 0.005;
exports.TURING_INITIAL_MAX = 0.1;
// Optional noise (§3.3 step 4)
exports.JITTER_VARIANCE_V2 = 0.0005;
/** Cells strictly above this potential count as active (the box-counting mask). */
exports.ACTIVE_THRESHOLD_V = -0.06;
// IFS (§5) as used by the validation cycle
exports.VALIDATION_IFS_POINTS = 1000;
exports.IFS_TRANSFORMS = 4;
//# sourceMappingURL=constants.js.map