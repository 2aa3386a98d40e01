import { readGolden, relativeError } from '../../../test/helpers/golden';
import { Adam } from './adam';
import { FloatArray, Linear, linearForward } from './linear';
import { MyceliumNetwork, NETWORK_LAYOUT, mseLoss } from './network';
import { createRng } from './prng';
import { SparseAttentionLayers, sparseAttentionForward } from './sparse-attention';
import { stdpWeightChange, validateStdpParams } from './stdp';

interface NnGolden {
  stdp: {
    cases: { name: string; pre_times_s: number[][]; post_times_s: number[][]; delta_w_shape: [number, number]; delta_w: number[][] }[];
    parameter_validation: { kwargs: Record<string, number>; result: string }[];
  };
  sparse_attention: {
    case: { embed_dim: number; topk: number; batch: number; seq_len: number; input: number[][][]; output: number[][][] };
    short_sequence_case: { input: number[][][]; output: number[][][] };
  };
  network: {
    inputs: { x: number[][]; y: number[] };
    predictions_before_training: number[];
    step_losses: number[];
    predictions_after_training: number[];
    mse_on_all_16_after_training: number;
  };
}

const golden = readGolden<NnGolden>('nn_blocks.json');
const TOLERANCE = 1e-5;

/** The golden file's closed-form weights for the l-th linear layer, rounded to float32. */
function setClosedFormWeights(layer: Linear, l: number): void {
  const { inFeatures: nIn, outFeatures: nOut } = layer;
  for (let o = 0; o < nOut; o++) {
    for (let i = 0; i < nIn; i++) layer.weight[o * nIn + i] = (0.5 * Math.sin(1.7 * (l + 1) + 0.31 * o + 0.73 * i)) / Math.sqrt(nIn);
    layer.bias[o] = 0.1 * Math.cos(0.5 * (l + 1) + 0.9 * o);
  }
}

function closedFormNetwork(): MyceliumNetwork {
  const net = new MyceliumNetwork(Float32Array);
  net.layers.forEach((layer, l) => setClosedFormWeights(layer, l));
  return net;
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance = TOLERANCE): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, k) => expect(relativeError(actual[k], e)).toBeLessThanOrEqual(tolerance));
}

const flat3 = (x: number[][][]) => new Float32Array(x.flat(2));

describe('STDP (nn_blocks.json)', () => {
  it.each(golden.stdp.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const dw = stdpWeightChange(c.pre_times_s, c.post_times_s);
    expect(dw.length).toBe(c.delta_w_shape[0] * c.delta_w_shape[1]);
    expectClose(dw, c.delta_w.flat());
  });

  it('validates parameters like the reference', () => {
    const key = new Map<string, 'tauPlus' | 'tauMinus' | 'aPlus' | 'aMinus'>([
      ['tau_plus', 'tauPlus'],
      ['tau_minus', 'tauMinus'],
      ['a_plus', 'aPlus'],
      ['a_minus', 'aMinus'],
    ]);
    for (const v of golden.stdp.parameter_validation) {
      const [name, value] = Object.entries(v.kwargs)[0];
      const call = () => validateStdpParams({ [key.get(name) ?? name]: value });
      if (v.result === 'ValueError') expect(call).toThrow(RangeError);
      else expect(call).not.toThrow();
    }
  });
});

describe('sparse attention (nn_blocks.json)', () => {
  const layers = (): SparseAttentionLayers => {
    const make = (l: number): Linear => {
      const layer: Linear = { inFeatures: 8, outFeatures: 8, weight: new Float32Array(64), bias: new Float32Array(8) };
      setClosedFormWeights(layer, l);
      return layer;
    };
    return { q: make(0), k: make(1), v: make(2), out: make(3) };
  };

  it('keeps the top 4 of 6 scores per query (batch 2)', () => {
    const c = golden.sparse_attention.case;
    const out = sparseAttentionForward(layers(), flat3(c.input), c.batch, c.seq_len, c.topk);
    expectClose(out, c.output.flat(2));
  });

  it('is ordinary softmax attention when the sequence is shorter than k', () => {
    const c = golden.sparse_attention.short_sequence_case;
    const out = sparseAttentionForward(layers(), flat3(c.input), 2, 2, 4);
    expectClose(out, c.output.flat(2));
  });

  it('reduces to out(v(x)) for one token, which is what the network relies on', () => {
    const l = layers();
    const x = new Float32Array(Array.from({ length: 24 }, (_, k) => Math.sin(k)));
    const viaAttention = sparseAttentionForward(l, x, 3, 1);
    const direct = linearForward(l.out, linearForward(l.v, x, 3), 3);
    expect(Array.from(viaAttention)).toEqual(Array.from(direct));
  });
});

describe('MyceliumNetwork (nn_blocks.json)', () => {
  const { x, y } = golden.network.inputs;
  const features = new Float32Array(x.flat());
  const targets = new Float32Array(y);

  it('has the reference layout and 5,985 parameters', () => {
    expect(NETWORK_LAYOUT.map((l) => l.name)).toEqual([
      'input_proj',
      'attention.q_proj',
      'attention.k_proj',
      'attention.v_proj',
      'attention.out_proj',
      'net.0',
      'net.2',
      'net.4',
    ]);
    expect(new MyceliumNetwork().parameterCount()).toBe(5985);
  });

  it('predicts like the reference before training', () => {
    expectClose(closedFormNetwork().predict(features, 16), golden.network.predictions_before_training);
  });

  it('follows the reference through four Adam steps on batches 0-3, 4-7, 8-11, 12-15', () => {
    const net = closedFormNetwork();
    const adam = new Adam(net.parameters());
    const losses: number[] = [];
    for (let b = 0; b < 4; b++) {
      const xb = features.subarray(b * 16, b * 16 + 16);
      const yb = targets.subarray(b * 4, b * 4 + 4);
      const cache = net.forward(xb, 4);
      const { loss, grad } = mseLoss(cache.y, yb);
      losses.push(loss);
      adam.step(net.backward(cache, grad));
    }
    expectClose(losses, golden.network.step_losses);
    const after = net.predict(features, 16);
    expectClose(after, golden.network.predictions_after_training);
    expect(relativeError(mseLoss(after, targets).loss, golden.network.mse_on_all_16_after_training)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('initialises every tensor within +/- 1/sqrt(fan_in), reproducibly', () => {
    const a = MyceliumNetwork.initialised(createRng(5));
    const b = MyceliumNetwork.initialised(createRng(5));
    a.layers.forEach((layer, l) => {
      const bound = 1 / Math.sqrt(layer.inFeatures);
      expect(Array.from(layer.weight).every((w) => Math.abs(w) <= bound)).toBe(true);
      expect(Array.from(layer.bias).every((w) => Math.abs(w) <= bound)).toBe(true);
      expect(Array.from(layer.weight)).toEqual(Array.from(b.layers[l].weight));
    });
  });
});

describe('backward pass: finite-difference gradient check (float64)', () => {
  const batch = 5;
  const rng = createRng(11);
  const net = MyceliumNetwork.initialised(rng, Float64Array);
  const x = new Float64Array(Array.from({ length: batch * 4 }, () => rng.uniform(-2, 2)));
  const y = new Float64Array(Array.from({ length: batch }, () => rng.uniform(-1, 1)));
  const lossAt = () => mseLoss(net.predict(x, batch), y).loss;

  it('matches central differences for a sample of every parameter tensor', () => {
    const cache = net.forward(x, batch);
    const grads = net.backward(cache, mseLoss(cache.y, y).grad);
    const params = net.parameters();
    const h = 1e-6;
    let checked = 0;
    params.forEach((p: FloatArray, t) => {
      const picks = new Set([0, p.length - 1, Math.floor(p.length / 2), Math.floor(p.length / 3)]);
      for (const k of picks) {
        const saved = p[k];
        p[k] = saved + h;
        const up = lossAt();
        p[k] = saved - h;
        const down = lossAt();
        p[k] = saved;
        const numeric = (up - down) / (2 * h);
        const analytic = grads[t][k];
        expect(Math.abs(numeric - analytic)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(numeric));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(40);
  });

  it('gives exactly zero gradients to the q and k projections', () => {
    const cache = net.forward(x, batch);
    const grads = net.backward(cache, mseLoss(cache.y, y).grad);
    for (const t of [2, 3, 4, 5]) expect(Array.from(grads[t]).every((g) => g === 0)).toBe(true);
    expect(Array.from(grads[0]).some((g) => g !== 0)).toBe(true);
  });

  it('lowers the loss when Adam follows the gradients', () => {
    const trainee = MyceliumNetwork.initialised(createRng(12), Float64Array);
    const adam = new Adam(trainee.parameters(), { lr: 1e-2 });
    const first = mseLoss(trainee.predict(x, batch), y).loss;
    for (let k = 0; k < 50; k++) {
      const cache = trainee.forward(x, batch);
      adam.step(trainee.backward(cache, mseLoss(cache.y, y).grad));
    }
    expect(mseLoss(trainee.predict(x, batch), y).loss).toBeLessThan(first * 0.5);
  });
});
