import { FIELD_CLAMP_MAX_V, FIELD_CLAMP_MIN_V } from './constants';
import { stepDiffusion } from './field-diffusion';
import { createRng } from './prng';

/** The periodic 5-point update written plainly, with modulo wrap and the reference's sum order. */
function plainStep(v: Float64Array, n: number, alpha: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = v[i * n + j];
      const sum = v[((i + n - 1) % n) * n + j] + v[((i + 1) % n) * n + j] + v[i * n + ((j + n - 1) % n)] + v[i * n + ((j + 1) % n)];
      out[i * n + j] = Math.min(FIELD_CLAMP_MAX_V, Math.max(FIELD_CLAMP_MIN_V, c + alpha * (sum - 4 * c)));
    }
  }
  return out;
}

describe('stepDiffusion', () => {
  it.each([1, 2, 3, 4, 7, 16])('matches the plain periodic update bit for bit on a %i x %i grid, clamps included', (n) => {
    const rng = createRng(n);
    // Spread wide enough that some cells leave the ion range and get clamped.
    const v = Float64Array.from({ length: n * n }, () => rng.uniform(-0.2, 0.1));
    for (const alpha of [0, 0.18, 0.3]) {
      const out = new Float64Array(n * n);
      stepDiffusion(v, out, n, alpha);
      expect(Array.from(out)).toEqual(Array.from(plainStep(v, n, alpha)));
    }
  });
});
