import { FIELD_INITIAL_MEAN_V, FIELD_INITIAL_STD_V } from './constants';
import { addTuringIncrement, stepDiffusion, stepDiffusionWithJitter } from './field-diffusion';
import { FieldSimulationParams, FieldSimulationResult, resolveFieldParams } from './field-params';
import { injectGrowthSpike } from './growth-spikes';
import type { RandomSource } from './prng';
import { HORIZON_CHECK_INTERVAL, TuringBounds, turingSafeHorizon } from './turing-horizon';
import { TuringPair } from './turing-pair';

/**
 * The field simulation's driver. Its parts: parameters (field-params.ts), growth spikes
 * (growth-spikes.ts), the activator/inhibitor pair (turing-pair.ts, turing-rows.ts) and when it
 * may be skipped (turing-horizon.ts), diffusion with the ion clamp (field-diffusion.ts).
 *
 * Per step: the growth spike, the pair's step (while it may still fire), then diffusion of V with
 * the increment of the fired cells (and the noise, with jitter) and the clamp.
 *
 * Random draws happen in the reference's order: N^2 initial normals, then (Turing only) N^2
 * activator and N^2 inhibitor uniforms; per step one uniform for the spike (plus row, column and
 * amplitude when it fires) and, with jitter, N^2 normals in row-major order.
 */
/**
 * Called after every step with the 1-based step number, the field after it (volts, row-major; read
 * it during the call, it is the simulation's own buffer and changes with the next step) and the
 * growth events so far. It must not write to the field; the result is the same with or without it.
 */
export type FieldStepHook = (step: number, field: Float64Array, growthEvents: number) => void;

export function simulateField(options: Partial<FieldSimulationParams>, rng: RandomSource, onStep?: FieldStepHook): FieldSimulationResult {
  const p = resolveFieldParams(options);
  const n = p.gridSize;
  const cells = n * n;

  let v = new Float64Array(cells);
  let vNext = new Float64Array(cells);
  for (let k = 0; k < cells; k++) v[k] = rng.normal(FIELD_INITIAL_MEAN_V, FIELD_INITIAL_STD_V);

  const turing = p.turingEnabled ? new TuringPair(cells, rng) : undefined;
  const jitterStd = Math.sqrt(p.jitterVariance);
  let turingActive = turing !== undefined && mayFire(p, turing.bounds, p.steps);
  let events = 0;

  for (let t = 0; t < p.steps; t++) {
    if (injectGrowthSpike(v, n, p.spikeProbability, rng)) events++;
    let fired = 0;
    if (turingActive && turing) {
      const check = (t + 1) % HORIZON_CHECK_INTERVAL === 0;
      fired = turing.step(n, p.turingThreshold, check);
      if (check) turingActive = mayFire(p, turing.bounds, p.steps - t - 1);
    }
    if (p.quantumJitter) {
      stepDiffusionWithJitter(v, vNext, n, p.alpha, turing?.firedMask(fired), rng, jitterStd);
    } else {
      stepDiffusion(v, vNext, n, p.alpha);
      if (fired > 0 && turing) addTuringIncrement(v, vNext, n, p.alpha, turing.firedCells, fired);
    }
    [v, vNext] = [vNext, v];
    onStep?.(t + 1, v, events);
  }

  return { field: v, gridSize: n, growthEvents: events };
}

/** The pair is integrated exactly until it provably cannot reach the threshold in the remaining steps. */
function mayFire(p: FieldSimulationParams, bounds: TuringBounds, remaining: number): boolean {
  return p.exactTuring || turingSafeHorizon(bounds, p.turingThreshold, remaining) < remaining;
}
