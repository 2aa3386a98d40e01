import {
  FloatArray,
  FloatArrayConstructor,
  Linear,
  LinearGradients,
  allocLike,
  createLinear,
  linearBackward,
  linearForward,
  relu,
  reluBackward,
} from './linear';
import type { RandomSource } from './prng';
import type { SparseAttentionLayers } from './sparse-attention';

/**
 * The validation cycle's network, MyceliumFractalNet(input_dim 4, hidden 32),
 * with a hand-written backward pass. Inputs are (B, 4) rows treated as sequences of length 1,
 * for which the attention weight is exactly 1: the block reduces to out(v(x)) and the q/k
 * projections get zero gradients (they still exist, are initialised and count as parameters).
 *
 *   y = net.4(relu(net.2(relu(net.0(out(v(input_proj(x))))))))
 */

/** The eight linear layers in registration order (the order parameters are initialised in). */
export const NETWORK_LAYOUT = [
  { name: 'input_proj', inFeatures: 4, outFeatures: 32 },
  { name: 'attention.q_proj', inFeatures: 32, outFeatures: 32 },
  { name: 'attention.k_proj', inFeatures: 32, outFeatures: 32 },
  { name: 'attention.v_proj', inFeatures: 32, outFeatures: 32 },
  { name: 'attention.out_proj', inFeatures: 32, outFeatures: 32 },
  { name: 'net.0', inFeatures: 32, outFeatures: 32 },
  { name: 'net.2', inFeatures: 32, outFeatures: 16 },
  { name: 'net.4', inFeatures: 16, outFeatures: 1 },
] as const;

const INPUT = 0;
const Q = 1;
const K = 2;
const V = 3;
const OUT = 4;
const NET0 = 5;
const NET2 = 6;
const NET4 = 7;

/** Activations kept by forward() for backward(). */
export interface ForwardCache {
  batch: number;
  x: FloatArray;
  h0: FloatArray;
  hv: FloatArray;
  ho: FloatArray;
  z1: FloatArray;
  a1: FloatArray;
  z2: FloatArray;
  a2: FloatArray;
  y: FloatArray;
}

export class MyceliumNetwork {
  readonly layers: Linear[];

  constructor(readonly Storage: FloatArrayConstructor = Float32Array) {
    this.layers = NETWORK_LAYOUT.map((l) => createLinear(l.inFeatures, l.outFeatures, Storage));
  }

  /**
   * torch's default Linear initialisation: every weight, then its bias, layer by layer, drawn
   * from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
   */
  static initialised(rng: RandomSource, Storage: FloatArrayConstructor = Float32Array): MyceliumNetwork {
    const net = new MyceliumNetwork(Storage);
    for (const layer of net.layers) {
      const bound = 1 / Math.sqrt(layer.inFeatures);
      for (let k = 0; k < layer.weight.length; k++) layer.weight[k] = rng.uniform(-bound, bound);
      for (let k = 0; k < layer.bias.length; k++) layer.bias[k] = rng.uniform(-bound, bound);
    }
    return net;
  }

  /** The 16 parameter tensors in registration order (weight, bias per layer). */
  parameters(): FloatArray[] {
    return this.layers.flatMap((l) => [l.weight, l.bias]);
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.length, 0);
  }

  attention(): SparseAttentionLayers {
    return { q: this.layers[Q], k: this.layers[K], v: this.layers[V], out: this.layers[OUT] };
  }

  /** x: batch x 4 → predictions (batch) and the activations for backward(). */
  forward(x: FloatArray, batch: number): ForwardCache {
    const L = this.layers;
    const h0 = linearForward(L[INPUT], x, batch);
    const hv = linearForward(L[V], h0, batch);
    const ho = linearForward(L[OUT], hv, batch);
    const z1 = linearForward(L[NET0], ho, batch);
    const a1 = relu(z1);
    const z2 = linearForward(L[NET2], a1, batch);
    const a2 = relu(z2);
    const y = linearForward(L[NET4], a2, batch);
    return { batch, x, h0, hv, ho, z1, a1, z2, a2, y };
  }

  predict(x: FloatArray, batch: number): FloatArray {
    return this.forward(x, batch).y;
  }

  /** Gradients of every parameter (same order as parameters()) given dL/dy. */
  backward(cache: ForwardCache, gradY: FloatArray): FloatArray[] {
    const L = this.layers;
    const grads: LinearGradients[] = L.map((l) => ({ weight: allocLike(l.weight, l.weight.length), bias: allocLike(l.bias, l.bias.length) }));
    const b = cache.batch;
    const gA2 = linearBackward(L[NET4], cache.a2, gradY, b, grads[NET4]);
    const gZ2 = reluBackward(cache.z2, gA2);
    const gA1 = linearBackward(L[NET2], cache.a1, gZ2, b, grads[NET2]);
    const gZ1 = reluBackward(cache.z1, gA1);
    const gHo = linearBackward(L[NET0], cache.ho, gZ1, b, grads[NET0]);
    const gHv = linearBackward(L[OUT], cache.hv, gHo, b, grads[OUT]);
    const gH0 = linearBackward(L[V], cache.h0, gHv, b, grads[V]);
    linearBackward(L[INPUT], cache.x, gH0, b, grads[INPUT]);
    // q and k keep their zero gradients: with one token the softmax weight does not depend on them.
    return grads.flatMap((g) => [g.weight, g.bias]);
  }
}

/** Mean squared error over the batch and its gradient with respect to the predictions. */
export function mseLoss(predictions: FloatArray, targets: ArrayLike<number>): { loss: number; grad: FloatArray } {
  const n = predictions.length;
  const round = predictions instanceof Float32Array ? Math.fround : (v: number) => v;
  const grad = allocLike(predictions, n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const d = round(predictions[k] - targets[k]);
    sum += round(d * d);
    grad[k] = (2 * d) / n;
  }
  return { loss: round(sum / n), grad };
}
