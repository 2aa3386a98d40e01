"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_ATTENTION_TOPK = void 0;
exports.sparseAttentionForward = sparseAttentionForward;
const linear_1 = require("./linear");
exports.DEFAULT_ATTENTION_TOPK = 4;
/** x: batch x seqLen x E (row-major) → same shape. */
function sparseAttentionForward(layers, x, batch, seqLen, topk = exports.DEFAULT_ATTENTION_TOPK) {
    const e = layers.q.inFeatures;
    const rows = batch * seqLen;
    const round = x instanceof Float32Array ? Math.fround : (value) => value;
    const q = (0, linear_1.linearForward)(layers.q, x, rows);
    const k = (0, linear_1.linearForward)(layers.k, x, rows);
    const v = (0, linear_1.linearForward)(layers.v, x, rows);
    const scale = Math.sqrt(e);
    const keep = Math.min(topk, seqLen);
    const mixed = (0, linear_1.allocLike)(x, rows * e);
    const scores = new Float64Array(seqLen);
    const order = new Int32Array(seqLen);
    const weights = new Float64Array(seqLen);
    for (let b = 0; b < batch; b++) {
        for (let s = 0; s < seqLen; s++) {
            const qRow = (b * seqLen + s) * e;
            for (let t = 0; t < seqLen; t++) {
                const kRow = (b * seqLen + t) * e;
                let dot = 0;
                for (let c = 0; c < e; c++)
                    dot += q[qRow + c] * k[kRow + c];
                scores[t] = round(round(dot) / scale);
                order[t] = t;
            }
            // Top-k by score; ties keep the lower key index first.
            const ranked = Array.from(order).sort((i, j) => scores[j] - scores[i] || i - j);
            const kept = new Set(ranked.slice(0, keep));
            let max = -Infinity;
            for (const t of kept)
                if (scores[t] > max)
                    max = scores[t];
            let total = 0;
            for (let t = 0; t < seqLen; t++) {
                weights[t] = kept.has(t) ? round(Math.exp(scores[t] - max)) : 0;
                total += weights[t];
            }
            for (let t = 0; t < seqLen; t++) {
                const w = round(weights[t] / total);
                weights[t] = Number.isNaN(w) ? 0 : w;
            }
            for (let c = 0; c < e; c++) {
                let sum = 0;
                for (let t = 0; t < seqLen; t++)
                    sum += weights[t] * v[(b * seqLen + t) * e + c];
                mixed[qRow + c] = sum;
            }
        }
    }
    return (0, linear_1.linearForward)(layers.out, mixed, rows);
}
//# sourceMappingURL=sparse-attention.js.map