/**
 * Spike-timing-dependent plasticity rule, float32 like the reference. The
 * validation cycle never applies it (the reference's forward pass is the identity); it is kept
 * as a tested building block.
 */
export interface StdpParams {
  /** LTP time constant in seconds, 0.005..0.1. */
  tauPlus: number;
  /** LTD time constant in seconds, 0.005..0.1. */
  tauMinus: number;
  /** LTP amplitude, 0.001..0.1. */
  aPlus: number;
  /** LTD amplitude, 0.001..0.1. */
  aMinus: number;
}

export const DEFAULT_STDP: Readonly<StdpParams> = Object.freeze({ tauPlus: 0.02, tauMinus: 0.02, aPlus: 0.01, aMinus: 0.012 });

const TAU_RANGE: readonly [number, number] = [0.005, 0.1];
const AMPLITUDE_RANGE: readonly [number, number] = [0.001, 0.1];
const EXP_CLAMP = 50;

/** Throws RangeError for parameters outside the biological ranges the reference enforces (inclusive). */
export function validateStdpParams(params: Partial<StdpParams>): StdpParams {
  const p = { ...DEFAULT_STDP, ...params };
  const check = (name: string, value: number, [lo, hi]: readonly [number, number]) => {
    if (!(value >= lo && value <= hi)) throw new RangeError(`${name} must be in [${lo}, ${hi}]`);
  };
  check('tau_plus', p.tauPlus, TAU_RANGE);
  check('tau_minus', p.tauMinus, TAU_RANGE);
  check('a_plus', p.aPlus, AMPLITUDE_RANGE);
  check('a_minus', p.aMinus, AMPLITUDE_RANGE);
  return p;
}

const f32 = Math.fround;

/**
 * Weight change for pre-synaptic spike times (batch x nPre) and post-synaptic times
 * (batch x nPost): for dt = post - pre, A+ exp(-dt/tau+) when dt > 0 and -A- exp(dt/tau-) when
 * dt < 0 (exponents clamped to [-50, 50]), averaged over the batch. Returns nPre x nPost, row-major.
 */
export function stdpWeightChange(
  preTimes: readonly (readonly number[])[],
  postTimes: readonly (readonly number[])[],
  params: Partial<StdpParams> = {},
): Float32Array {
  const p = validateStdpParams(params);
  const batch = preTimes.length;
  if (batch === 0 || postTimes.length !== batch) throw new RangeError('pre and post spike times need the same non-zero batch size');
  const nPre = preTimes[0].length;
  const nPost = postTimes[0].length;
  const tauPlus = f32(p.tauPlus);
  const tauMinus = f32(p.tauMinus);
  const aPlus = f32(p.aPlus);
  const aMinus = f32(p.aMinus);
  const sums = new Float32Array(nPre * nPost);
  for (let b = 0; b < batch; b++) {
    if (preTimes[b].length !== nPre || postTimes[b].length !== nPost) throw new RangeError('ragged spike-time arrays');
    for (let i = 0; i < nPre; i++) {
      const pre = f32(preTimes[b][i]);
      for (let j = 0; j < nPost; j++) {
        const dt = f32(f32(postTimes[b][j]) - pre);
        let change = 0;
        if (dt > 0) {
          const arg = Math.min(EXP_CLAMP, Math.max(-EXP_CLAMP, f32(-dt / tauPlus)));
          change = f32(aPlus * f32(Math.exp(arg)));
        } else if (dt < 0) {
          const arg = Math.min(EXP_CLAMP, Math.max(-EXP_CLAMP, f32(dt / tauMinus)));
          change = f32(-aMinus * f32(Math.exp(arg)));
        }
        sums[i * nPost + j] = f32(sums[i * nPost + j] + change);
      }
    }
  }
  for (let k = 0; k < sums.length; k++) sums[k] = f32(sums[k] / batch);
  return sums;
}
