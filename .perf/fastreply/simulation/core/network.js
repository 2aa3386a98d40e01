"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MyceliumNetwork = exports.NETWORK_INPUT_DIM = exports.NETWORK_LAYOUT = void 0;
exports.mseLoss = mseLoss;
const linear_1 = require("./linear");
/**
 * The validation cycle's network, MyceliumFractalNet(input_dim 4, hidden 32) (NUMERICS.md §8.2),
 * with a hand-written backward pass. Inputs are (B, 4) rows treated as sequences of length 1,
 * for which the attention weight is exactly 1: the block reduces to out(v(x)) and the q/k
 * projections get zero gradients (they still exist, are initialised and count as parameters).
 *
 *   y = net.4(relu(net.2(relu(net.0(out(v(input_proj(x))))))))
 */
/** The eight linear layers in registration order (the order parameters are initialised in). */
exports.NETWORK_LAYOUT = [
    { name: 'input_proj', inFeatures: 4, outFeatures: 32 },
    { name: 'attention.q_proj', inFeatures: 32, outFeatures: 32 },
    { name: 'attention.k_proj', inFeatures: 32, outFeatures: 32 },
    { name: 'attention.v_proj', inFeatures: 32, outFeatures: 32 },
    { name: 'attention.out_proj', inFeatures: 32, outFeatures: 32 },
    { name: 'net.0', inFeatures: 32, outFeatures: 32 },
    { name: 'net.2', inFeatures: 32, outFeatures: 16 },
    { name: 'net.4', inFeatures: 16, outFeatures: 1 },
];
exports.NETWORK_INPUT_DIM = 4;
const INPUT = 0;
const Q = 1;
const K = 2;
const V = 3;
const OUT = 4;
const NET0 = 5;
const NET2 = 6;
const NET4 = 7;
class MyceliumNetwork {
    Storage;
    layers;
    constructor(Storage = Float32Array) {
        this.Storage = Storage;
        this.layers = exports.NETWORK_LAYOUT.map((l) => (0, linear_1.createLinear)(l.inFeatures, l.outFeatures, Storage));
    }
    /**
     * torch's default Linear initialisation: every weight, then its bias, layer by layer, drawn
     * from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     */
    static initialised(rng, Storage = Float32Array) {
        const net = new MyceliumNetwork(Storage);
        for (const layer of net.layers) {
            const bound = 1 / Math.sqrt(layer.inFeatures);
            for (let k = 0; k < layer.weight.length; k++)
                layer.weight[k] = rng.uniform(-bound, bound);
            for (let k = 0; k < layer.bias.length; k++)
                layer.bias[k] = rng.uniform(-bound, bound);
        }
        return net;
    }
    /** The 16 parameter tensors in registration order (weight, bias per layer). */
    parameters() {
        return this.layers.flatMap((l) => [l.weight, l.bias]);
    }
    parameterCount() {
        return this.parameters().reduce((n, p) => n + p.length, 0);
    }
    attention() {
        return { q: this.layers[Q], k: this.layers[K], v: this.layers[V], out: this.layers[OUT] };
    }
    /** x: batch x 4 → predictions (batch) and the activations for backward(). */
    forward(x, batch) {
        const L = this.layers;
        const h0 = (0, linear_1.linearForward)(L[INPUT], x, batch);
        const hv = (0, linear_1.linearForward)(L[V], h0, batch);
        const ho = (0, linear_1.linearForward)(L[OUT], hv, batch);
        const z1 = (0, linear_1.linearForward)(L[NET0], ho, batch);
        const a1 = (0, linear_1.relu)(z1);
        const z2 = (0, linear_1.linearForward)(L[NET2], a1, batch);
        const a2 = (0, linear_1.relu)(z2);
        const y = (0, linear_1.linearForward)(L[NET4], a2, batch);
        return { batch, x, h0, hv, ho, z1, a1, z2, a2, y };
    }
    predict(x, batch) {
        return this.forward(x, batch).y;
    }
    /** Gradients of every parameter (same order as parameters()) given dL/dy. */
    backward(cache, gradY) {
        const L = this.layers;
        const grads = L.map((l) => ({ weight: (0, linear_1.allocLike)(l.weight, l.weight.length), bias: (0, linear_1.allocLike)(l.bias, l.bias.length) }));
        const b = cache.batch;
        const gA2 = (0, linear_1.linearBackward)(L[NET4], cache.a2, gradY, b, grads[NET4]);
        const gZ2 = (0, linear_1.reluBackward)(cache.z2, gA2);
        const gA1 = (0, linear_1.linearBackward)(L[NET2], cache.a1, gZ2, b, grads[NET2]);
        const gZ1 = (0, linear_1.reluBackward)(cache.z1, gA1);
        const gHo = (0, linear_1.linearBackward)(L[NET0], cache.ho, gZ1, b, grads[NET0]);
        const gHv = (0, linear_1.linearBackward)(L[OUT], cache.hv, gHo, b, grads[OUT]);
        const gH0 = (0, linear_1.linearBackward)(L[V], cache.h0, gHv, b, grads[V]);
        (0, linear_1.linearBackward)(L[INPUT], cache.x, gH0, b, grads[INPUT]);
        // q and k keep their zero gradients: with one token the softmax weight does not depend on them.
        return grads.flatMap((g) => [g.weight, g.bias]);
    }
}
exports.MyceliumNetwork = MyceliumNetwork;
/** Mean squared error over the batch and its gradient with respect to the predictions. */
function mseLoss(predictions, targets) {
    const n = predictions.length;
    const round = predictions instanceof Float32Array ? Math.fround : (v) => v;
    const grad = (0, linear_1.allocLike)(predictions, n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
        const d = round(predictions[k] - targets[k]);
        sum += round(d * d);
        grad[k] = (2 * d) / n;
    }
    return { loss: round(sum / n), grad };
}
//# sourceMappingURL=network.js.map