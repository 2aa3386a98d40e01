/**
 * History-based Lyapunov estimate: the mean log Frobenius norm of successive
 * frame differences, divided by dt. It depends on the field's scale (it is not a ratio of
 * divergences); nothing on the HTTP path uses it.
 */
const NORM_FLOOR = 1e-10;

/** `history` holds T frames of equal length (each a flattened N x N field). */
export function historyLyapunov(history: readonly ArrayLike<number>[], dt = 1.0): number {
  if (history.length < 2) return 0;
  const size = history[0].length;
  let sum = 0;
  let count = 0;
  for (let t = 1; t < history.length; t++) {
    const cur = history[t];
    const prev = history[t - 1];
    if (cur.length !== size || prev.length !== size) throw new RangeError('all frames must have the same size');
    let sq = 0;
    for (let k = 0; k < size; k++) {
      const d = cur[k] - prev[k];
      sq += d * d;
    }
    const norm = Math.sqrt(sq);
    if (norm > NORM_FLOOR) {
      sum += Math.log(norm);
      count++;
    }
  }
  return count === 0 ? 0 : sum / (count * dt);
}
