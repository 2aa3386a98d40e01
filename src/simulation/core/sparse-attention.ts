import { FloatArray, Linear, allocLike, linearForward } from './linear';

/**
 * Sparse (top-k) attention: four E -> E projections q, k, v, out; scores
 * Q K^T / sqrt(E); each query keeps its top min(k, S) scores (the rest -inf); softmax over keys
 * with NaN replaced by 0; output = out(attn V). The reference stores `num_heads` and ignores it.
 */
export interface SparseAttentionLayers {
  q: Linear;
  k: Linear;
  v: Linear;
  out: Linear;
}

export const DEFAULT_ATTENTION_TOPK = 4;

/** x: batch x seqLen x E (row-major) → same shape. */
export function sparseAttentionForward(
  layers: SparseAttentionLayers,
  x: FloatArray,
  batch: number,
  seqLen: number,
  topk = DEFAULT_ATTENTION_TOPK,
): FloatArray {
  const e = layers.q.inFeatures;
  const rows = batch * seqLen;
  const round = x instanceof Float32Array ? Math.fround : (value: number) => value;
  const q = linearForward(layers.q, x, rows);
  const k = linearForward(layers.k, x, rows);
  const v = linearForward(layers.v, x, rows);
  const scale = Math.sqrt(e);
  const keep = Math.min(topk, seqLen);
  const mixed = allocLike(x, rows * e);
  const scores = new Float64Array(seqLen);
  const order = new Int32Array(seqLen);
  const weights = new Float64Array(seqLen);

  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seqLen; s++) {
      const qRow = (b * seqLen + s) * e;
      for (let t = 0; t < seqLen; t++) {
        const kRow = (b * seqLen + t) * e;
        let dot = 0;
        for (let c = 0; c < e; c++) dot += q[qRow + c] * k[kRow + c];
        scores[t] = round(round(dot) / scale);
        order[t] = t;
      }
      // Top-k by score; ties keep the lower key index first.
      const ranked = Array.from(order).sort((i, j) => scores[j] - scores[i] || i - j);
      const kept = new Set(ranked.slice(0, keep));
      let max = -Infinity;
      for (const t of kept) if (scores[t] > max) max = scores[t];
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
        for (let t = 0; t < seqLen; t++) sum += weights[t] * v[(b * seqLen + t) * e + c];
        mixed[qRow + c] = sum;
      }
    }
  }
  return linearForward(layers.out, mixed, rows);
}
