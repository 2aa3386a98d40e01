import { FloatArray, allocLike } from './linear';

/**
 * Adam in torch's form: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * theta -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps). With Float32Array parameters
 * every tensor operation is rounded to float32, as the reference's float32 tensors were.
 */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const DEFAULT_ADAM: Readonly<AdamOptions> = Object.freeze({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

export class Adam {
  private readonly m: FloatArray[];
  private readonly v: FloatArray[];
  private t = 0;
  private readonly options: AdamOptions;

  constructor(
    private readonly params: FloatArray[],
    options: Partial<AdamOptions> = {},
  ) {
    this.options = { ...DEFAULT_ADAM, ...options };
    this.m = params.map((p) => allocLike(p, p.length));
    this.v = params.map((p) => allocLike(p, p.length));
  }

  get steps(): number {
    return this.t;
  }

  step(grads: FloatArray[]): void {
    if (grads.length !== this.params.length) throw new RangeError('one gradient per parameter tensor is required');
    this.t++;
    const { lr, beta1, beta2, eps } = this.options;
    const stepSize = lr / (1 - beta1 ** this.t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    this.params.forEach((p, idx) => {
      const g = grads[idx];
      const m = this.m[idx];
      const v = this.v[idx];
      const r = p instanceof Float32Array ? Math.fround : (x: number) => x;
      const b1 = r(beta1);
      const b2 = r(beta2);
      const oneMinusB1 = r(1 - beta1);
      const oneMinusB2 = r(1 - beta2);
      const epsR = r(eps);
      const bc2 = r(bc2Sqrt);
      const minusStep = r(-stepSize);
      for (let k = 0; k < p.length; k++) {
        m[k] = r(r(m[k] * b1) + r(g[k] * oneMinusB1));
        v[k] = r(r(v[k] * b2) + r(oneMinusB2 * r(g[k] * g[k])));
        const denom = r(r(r(Math.sqrt(v[k])) / bc2) + epsR);
        p[k] = r(p[k] + r(minusStep * r(m[k] / denom)));
      }
    });
  }
}
