"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.activeMask = activeMask;
exports.summariseField = summariseField;
const box_counting_1 = require("./box-counting");
const constants_1 = require("./constants");
/** 1 where the potential is strictly above the threshold. */
function activeMask(field, thresholdV = constants_1.ACTIVE_THRESHOLD_V) {
    const mask = new Uint8Array(field.length);
    for (let k = 0; k < field.length; k++)
        mask[k] = field[k] > thresholdV ? 1 : 0;
    return mask;
}
function summariseField(field, gridSize, thresholdV = constants_1.ACTIVE_THRESHOLD_V) {
    const cells = field.length;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let k = 0; k < cells; k++) {
        const x = field[k];
        if (x < min)
            min = x;
        if (x > max)
            max = x;
        sum += x;
    }
    const mean = sum / cells;
    // Two passes: the deviations are ~1e-4 of the values, so a one-pass formula would cancel badly.
    let sq = 0;
    for (let k = 0; k < cells; k++) {
        const d = field[k] - mean;
        sq += d * d;
    }
    const mask = activeMask(field, thresholdV);
    let active = 0;
    for (let k = 0; k < cells; k++)
        active += mask[k];
    return {
        minV: min,
        maxV: max,
        meanV: mean,
        stdV: Math.sqrt(sq / cells),
        activeCells: active,
        activeFraction: active / cells,
        fractalDimension: (0, box_counting_1.fractalDimension)(mask, gridSize),
    };
}
//# sourceMappingURL=field-summary.js.map