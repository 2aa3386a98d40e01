"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Adam = exports.DEFAULT_ADAM = void 0;
const linear_1 = require("./linear");
exports.DEFAULT_ADAM = Object.freeze({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
class Adam {
    params;
    m;
    v;
    t = 0;
    options;
    constructor(params, options = {}) {
        this.params = params;
        this.options = { ...exports.DEFAULT_ADAM, ...options };
        this.m = params.map((p) => (0, linear_1.allocLike)(p, p.length));
        this.v = params.map((p) => (0, linear_1.allocLike)(p, p.length));
    }
    get steps() {
        return this.t;
    }
    step(grads) {
        if (grads.length !== this.params.length)
            throw new RangeError('one gradient per parameter tensor is required');
        this.t++;
        const { lr, beta1, beta2, eps } = this.options;
        const stepSize = lr / (1 - beta1 ** this.t);
        const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
        this.params.forEach((p, idx) => {
            const g = grads[idx];
            const m = this.m[idx];
            const v = this.v[idx];
            const r = p instanceof Float32Array ? Math.fround : (x) => x;
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
exports.Adam = Adam;
//# sourceMappingURL=adam.js.map