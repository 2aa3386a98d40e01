"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nernstPotential = nernstPotential;
const constants_1 = require("./constants");
/**
 * Nernst equilibrium potential in volts (NUMERICS.md §2):
 * E = ((R*T) / (z*F)) * ln(max(c_out, 1e-6) / max(c_in, 1e-6)), evaluated in exactly that order
 * so results match the reference to the last bit of `ln`.
 * @throws RangeError when z is 0 (the potential is undefined).
 */
function nernstPotential(zValence, concentrationOutMolar, concentrationInMolar, temperatureK = constants_1.DEFAULT_TEMPERATURE_K) {
    if (zValence === 0)
        throw new RangeError('valence z must be non-zero');
    const cOut = Math.max(concentrationOutMolar, constants_1.ION_CLAMP_MIN_MOLAR);
    const cIn = Math.max(concentrationInMolar, constants_1.ION_CLAMP_MIN_MOLAR);
    const ratio = cOut / cIn;
    return ((constants_1.GAS_CONSTANT_R * temperatureK) / (zValence * constants_1.FARADAY_F)) * Math.log(ratio);
}
//# sourceMappingURL=nernst.js.map