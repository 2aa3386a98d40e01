"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AGGREGATE_LIMITS = void 0;
exports.toGradientMatrix = toGradientMatrix;
const common_1 = require("@nestjs/common");
const common_2 = require("../common");
/** Bounds of one /federated/aggregate request (documented in docs/compute.md). */
exports.AGGREGATE_LIMITS = Object.freeze({
    /** Clients; above 1000 a 10% sample is aggregated, so Krum never sees more than 1000 rows. */
    maxClients: 10_000,
    /** n x d values (8 MB of float32). */
    maxValues: 2_000_000,
});
/**
 * Packs the request's gradients into one float32 matrix (the form sent to the worker),
 * refusing what the reference mishandled: no rows (400, as the reference), rows of different
 * lengths (400; the reference answered 500), empty rows, and values that are not finite once
 * rounded to float32 (400), plus sizes beyond AGGREGATE_LIMITS (413).
 */
function toGradientMatrix(rows) {
    const n = rows.length;
    if (n === 0)
        throw common_2.AppException.badRequest('No gradients provided');
    const d = rows[0].length;
    if (d === 0)
        throw common_2.AppException.badRequest('Gradients must have at least one value');
    for (let i = 1; i < n; i++) {
        if (rows[i].length !== d) {
            throw common_2.AppException.badRequest(`All gradients must have the same length: gradient 0 has ${d} values, gradient ${i} has ${rows[i].length}`);
        }
    }
    if (n > exports.AGGREGATE_LIMITS.maxClients || n * d > exports.AGGREGATE_LIMITS.maxValues) {
        throw new common_2.AppException(common_2.ErrorCode.PAYLOAD_TOO_LARGE, `Too many gradient values: at most ${exports.AGGREGATE_LIMITS.maxClients} gradients and ${exports.AGGREGATE_LIMITS.maxValues} values in total (got ${n} x ${d})`, common_1.HttpStatus.PAYLOAD_TOO_LARGE);
    }
    const values = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
        const row = rows[i];
        const offset = i * d;
        for (let j = 0; j < d; j++) {
            values[offset + j] = row[j];
            const stored = values[offset + j];
            if (stored - stored !== 0) {
                throw common_2.AppException.badRequest(`Gradient values must be finite and within the float32 range (gradient ${i}, index ${j})`);
            }
        }
    }
    return { values, rows: n, cols: d };
}
//# sourceMappingURL=gradient-input.js.map