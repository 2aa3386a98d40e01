"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLinear = createLinear;
exports.allocLike = allocLike;
exports.linearForward = linearForward;
exports.linearBackward = linearBackward;
exports.relu = relu;
exports.reluBackward = reluBackward;
function createLinear(inFeatures, outFeatures, Storage) {
    return { inFeatures, outFeatures, weight: new Storage(inFeatures * outFeatures), bias: new Storage(outFeatures) };
}
/** Allocates an array of the same precision as `like`. */
function allocLike(like, length) {
    return like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}
/** x: rows x in → rows x out. */
function linearForward(layer, x, rows) {
    const { inFeatures: nIn, outFeatures: nOut, weight, bias } = layer;
    const y = allocLike(weight, rows * nOut);
    for (let r = 0; r < rows; r++) {
        for (let o = 0; o < nOut; o++) {
            let s = 0;
            for (let i = 0; i < nIn; i++)
                s += x[r * nIn + i] * weight[o * nIn + i];
            y[r * nOut + o] = s + bias[o];
        }
    }
    return y;
}
/**
 * Backward pass given the layer input x (rows x in) and dL/dy (rows x out): accumulates dL/dW =
 * gy^T x and dL/db = sum over rows of gy into `grads`, and returns dL/dx = gy W.
 */
function linearBackward(layer, x, gradOut, rows, grads) {
    const { inFeatures: nIn, outFeatures: nOut, weight } = layer;
    for (let o = 0; o < nOut; o++) {
        let gb = 0;
        for (let r = 0; r < rows; r++)
            gb += gradOut[r * nOut + o];
        grads.bias[o] += gb;
        for (let i = 0; i < nIn; i++) {
            let gw = 0;
            for (let r = 0; r < rows; r++)
                gw += gradOut[r * nOut + o] * x[r * nIn + i];
            grads.weight[o * nIn + i] += gw;
        }
    }
    const gradIn = allocLike(weight, rows * nIn);
    for (let r = 0; r < rows; r++) {
        for (let i = 0; i < nIn; i++) {
            let s = 0;
            for (let o = 0; o < nOut; o++)
                s += gradOut[r * nOut + o] * weight[o * nIn + i];
            gradIn[r * nIn + i] = s;
        }
    }
    return gradIn;
}
function relu(x) {
    const y = allocLike(x, x.length);
    for (let k = 0; k < x.length; k++)
        y[k] = x[k] > 0 ? x[k] : 0;
    return y;
}
/** dL/dx of y = relu(x): the incoming gradient where x > 0, else 0 (torch's convention at 0). */
function reluBackward(x, gradOut) {
    const g = allocLike(x, x.length);
    for (let k = 0; k < x.length; k++)
        g[k] = x[k] > 0 ? gradOut[k] : 0;
    return g;
}
//# sourceMappingURL=linear.js.map