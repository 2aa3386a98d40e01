/**
 * Dense layers for the small network: y = x W^T + b with W of shape (out, in),
 * row-major. Storage precision follows the arrays: Float32Array reproduces the reference's
 * float32 tensors (sums are accumulated in double and rounded once per output), Float64Array
 * is used by the finite-difference gradient checks.
 */
export type FloatArray = Float32Array | Float64Array;
export type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

export interface Linear {
  inFeatures: number;
  outFeatures: number;
  /** out x in, row-major. */
  weight: FloatArray;
  bias: FloatArray;
}

export interface LinearGradients {
  weight: FloatArray;
  bias: FloatArray;
}

export function createLinear(inFeatures: number, outFeatures: number, Storage: FloatArrayConstructor): Linear {
  return { inFeatures, outFeatures, weight: new Storage(inFeatures * outFeatures), bias: new Storage(outFeatures) };
}

/** Allocates an array of the same precision as `like`. */
export function allocLike(like: FloatArray, length: number): FloatArray {
  return like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}

/** x: rows x in → rows x out. */
export function linearForward(layer: Linear, x: FloatArray, rows: number): FloatArray {
  const { inFeatures: nIn, outFeatures: nOut, weight, bias } = layer;
  const y = allocLike(weight, rows * nOut);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < nOut; o++) {
      let s = 0;
      for (let i = 0; i < nIn; i++) s += x[r * nIn + i] * weight[o * nIn + i];
      y[r * nOut + o] = s + bias[o];
    }
  }
  return y;
}

/**
 * Backward pass given the layer input x (rows x in) and dL/dy (rows x out): accumulates dL/dW =
 * gy^T x and dL/db = sum over rows of gy into `grads`, and returns dL/dx = gy W.
 */
export function linearBackward(layer: Linear, x: FloatArray, gradOut: FloatArray, rows: number, grads: LinearGradients): FloatArray {
  const { inFeatures: nIn, outFeatures: nOut, weight } = layer;
  for (let o = 0; o < nOut; o++) {
    let gb = 0;
    for (let r = 0; r < rows; r++) gb += gradOut[r * nOut + o];
    grads.bias[o] += gb;
    for (let i = 0; i < nIn; i++) {
      let gw = 0;
      for (let r = 0; r < rows; r++) gw += gradOut[r * nOut + o] * x[r * nIn + i];
      grads.weight[o * nIn + i] += gw;
    }
  }
  const gradIn = allocLike(weight, rows * nIn);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let o = 0; o < nOut; o++) s += gradOut[r * nOut + o] * weight[o * nIn + i];
      gradIn[r * nIn + i] = s;
    }
  }
  return gradIn;
}

export function relu(x: FloatArray): FloatArray {
  const y = allocLike(x, x.length);
  for (let k = 0; k < x.length; k++) y[k] = x[k] > 0 ? x[k] : 0;
  return y;
}

/** dL/dx of y = relu(x): the incoming gradient where x > 0, else 0 (torch's convention at 0). */
export function reluBackward(x: FloatArray, gradOut: FloatArray): FloatArray {
  const g = allocLike(x, x.length);
  for (let k = 0; k < x.length; k++) g[k] = x[k] > 0 ? gradOut[k] : 0;
  return g;
}
