import {
  DEFAULT_ALPHA,
  DEFAULT_GRID_SIZE,
  DEFAULT_SPIKE_PROBABILITY,
  DEFAULT_STEPS,
  FIELD_CLAMP_MAX_V,
  FIELD_CLAMP_MIN_V,
  FIELD_INITIAL_MEAN_V,
  FIELD_INITIAL_STD_V,
  JITTER_VARIANCE_V2,
  SPIKE_AMPLITUDE_MEAN_V,
  SPIKE_AMPLITUDE_STD_V,
  TURING_ACTIVATOR_DIFFUSION,
  TURING_ACTIVATOR_RATE,
  TURING_FIELD_INCREMENT_V,
  TURING_INHIBITOR_DIFFUSION,
  TURING_INHIBITOR_RATE,
  TURING_INITIAL_MAX,
  TURING_THRESHOLD,
} from './constants';
import type { RandomSource } from './prng';

// Local copies: the hot loops read these as constants rather than as module-object properties.
const CLAMP_MIN = FIELD_CLAMP_MIN_V;
const CLAMP_MAX = FIELD_CLAMP_MAX_V;
const DA = TURING_ACTIVATOR_DIFFUSION;
const DI = TURING_INHIBITOR_DIFFUSION;
const RA = TURING_ACTIVATOR_RATE;
const RI = TURING_INHIBITOR_RATE;
const TURING_INCREMENT = TURING_FIELD_INCREMENT_V;

/**
 * The potential-field simulation: an N x N periodic grid of membrane potentials
 * (volts) with random growth spikes, explicit diffusion, an optional activator/inhibitor pair
 * and optional per-cell noise, clamped to the ion range every step.
 */
export interface FieldSimulationParams {
  gridSize: number;
  steps: number;
  alpha: number;
  spikeProbability: number;
  turingEnabled: boolean;
  turingThreshold: number;
  quantumJitter: boolean;
  jitterVariance: number;
  /**
   * Integrate the activator pair every step even while it provably cannot fire. The result is
   * bit-identical either way; this exists so tests can verify that claim.
   */
  exactTuring: boolean;
}

export const DEFAULT_FIELD_SIMULATION: Readonly<FieldSimulationParams> = Object.freeze({
  gridSize: DEFAULT_GRID_SIZE,
  steps: DEFAULT_STEPS,
  alpha: DEFAULT_ALPHA,
  spikeProbability: DEFAULT_SPIKE_PROBABILITY,
  turingEnabled: true,
  turingThreshold: TURING_THRESHOLD,
  quantumJitter: false,
  jitterVariance: JITTER_VARIANCE_V2,
  exactTuring: false,
});

export interface FieldSimulationResult {
  /** Final potentials in volts, row-major N x N. */
  field: Float64Array;
  gridSize: number;
  /** Number of steps in which a spike was injected. */
  growthEvents: number;
}

function checkParams(p: FieldSimulationParams): void {
  if (!Number.isInteger(p.gridSize) || p.gridSize < 1) throw new RangeError('gridSize must be an integer >= 1');
  if (!Number.isInteger(p.steps) || p.steps < 0) throw new RangeError('steps must be an integer >= 0');
  if (!Number.isFinite(p.alpha)) throw new RangeError('alpha must be finite');
  if (!(p.spikeProbability >= 0 && p.spikeProbability <= 1)) throw new RangeError('spikeProbability must be in [0, 1]');
  if (!Number.isFinite(p.turingThreshold)) throw new RangeError('turingThreshold must be finite');
  if (!(p.jitterVariance >= 0) || !Number.isFinite(p.jitterVariance)) throw new RangeError('jitterVariance must be >= 0');
}

/**
 * Runs the simulation. Random draws happen in the reference's order: N^2 initial normals, then
 * (Turing only) N^2 activator and N^2 inhibitor uniforms; per step one uniform for the spike
 * (plus row, column and amplitude when it fires) and, with jitter, N^2 normals in row-major order.
 */
export function simulateField(options: Partial<FieldSimulationParams>, rng: RandomSource): FieldSimulationResult {
  const p: FieldSimulationParams = { ...DEFAULT_FIELD_SIMULATION, ...options };
  checkParams(p);
  if (p.quantumJitter) return simulateWithJitter(p, rng);
  const plan = planFieldRun(p, rng);
  const stepper = new FieldStepper(plan, allocateStepBuffers(plan));
  stepper.applyFirstSpike();
  for (let t = 0; t < p.steps; t++) {
    const check = stepper.isHorizonCheck(t);
    stepper.stepRows(t, 0, p.gridSize, check);
    stepper.finishStep(t, check ? stepper.rowBounds : undefined);
  }
  return { field: stepper.field, gridSize: p.gridSize, growthEvents: plan.growthEvents };
}

/**
 * Everything a run without jitter needs after its random draws: the steps themselves draw
 * nothing, so the same plan can be stepped by one thread or split by rows across several.
 */
export interface FieldRunPlan {
  params: FieldSimulationParams;
  /** Initial potentials (volts); the first step's spike is not applied yet. */
  v: Float64Array;
  /** Initial activator and inhibitor, when the pair is enabled. */
  activator?: Float64Array;
  inhibitor?: Float64Array;
  /** Per step: the cell that receives a spike (-1 = none) and its amplitude. */
  spikeCell: Int32Array;
  spikeAmplitude: Float64Array;
  growthEvents: number;
}

/** Buffers the steps write into (shared memory when a run is split across threads). */
export interface FieldStepBuffers {
  vNext: Float64Array;
  activatorNext?: Float64Array;
  inhibitorNext?: Float64Array;
}

type Allocate = (length: number) => Float64Array;
const allocateLocal: Allocate = (length) => new Float64Array(length);

/** Makes every draw of a jitter-free run, in the reference's order (see simulateField). */
export function planFieldRun(options: Partial<FieldSimulationParams>, rng: RandomSource, allocate: Allocate = allocateLocal): FieldRunPlan {
  const p: FieldSimulationParams = { ...DEFAULT_FIELD_SIMULATION, ...options };
  checkParams(p);
  if (p.quantumJitter) throw new RangeError('a run with jitter draws during its steps and cannot be planned');
  const n = p.gridSize;
  const cells = n * n;
  const v = allocate(cells);
  for (let k = 0; k < cells; k++) v[k] = rng.normal(FIELD_INITIAL_MEAN_V, FIELD_INITIAL_STD_V);
  let activator: Float64Array | undefined;
  let inhibitor: Float64Array | undefined;
  if (p.turingEnabled) {
    activator = allocate(cells);
    inhibitor = allocate(cells);
    for (let k = 0; k < cells; k++) activator[k] = rng.uniform(0, TURING_INITIAL_MAX);
    for (let k = 0; k < cells; k++) inhibitor[k] = rng.uniform(0, TURING_INITIAL_MAX);
  }
  const spikeCell = new Int32Array(p.steps).fill(-1);
  const spikeAmplitude = new Float64Array(p.steps);
  let growthEvents = 0;
  for (let t = 0; t < p.steps; t++) {
    if (rng.nextDouble() < p.spikeProbability) {
      const i = rng.integer(n);
      const j = rng.integer(n);
      spikeCell[t] = i * n + j;
      spikeAmplitude[t] = rng.normal(SPIKE_AMPLITUDE_MEAN_V, SPIKE_AMPLITUDE_STD_V);
      growthEvents++;
    }
  }
  return { params: p, v, activator, inhibitor, spikeCell, spikeAmplitude, growthEvents };
}

/** Adds the first step's spike to the initial field (later spikes are applied while stepping). */
export function applyFirstSpike(plan: FieldRunPlan): void {
  const cell = plan.params.steps > 0 ? plan.spikeCell[0] : -1;
  if (cell >= 0) plan.v[cell] += plan.spikeAmplitude[0];
}

export function allocateStepBuffers(plan: FieldRunPlan, allocate: Allocate = allocateLocal): FieldStepBuffers {
  const cells = plan.v.length;
  return plan.activator
    ? { vNext: allocate(cells), activatorNext: allocate(cells), inhibitorNext: allocate(cells) }
    : { vNext: allocate(cells) };
}

/**
 * Steps a planned run. Each step works on a range of rows, reading only the previous state and
 * writing only its own rows of the next one, so several steppers over the same buffers (one per
 * thread, disjoint row ranges, a barrier between steps) give bit-identical results to one.
 *
 * Per step and row range: the activator pair's update (while it may still fire), diffusion and
 * the clamp, the Turing increment of the fired cells, then the next step's spike if it lands in
 * these rows.
 */
export class FieldStepper {
  private v: Float64Array;
  private vNext: Float64Array;
  private readonly turing?: TuringPair;
  private turingActive: boolean;
  private readonly n: number;
  private readonly p: FieldSimulationParams;

  constructor(
    private readonly plan: FieldRunPlan,
    buffers: FieldStepBuffers,
  ) {
    this.p = plan.params;
    this.n = this.p.gridSize;
    this.v = plan.v;
    this.vNext = buffers.vNext;
    if (plan.activator && plan.inhibitor && buffers.activatorNext && buffers.inhibitorNext) {
      this.turing = new TuringPair(plan.activator, plan.inhibitor, buffers.activatorNext, buffers.inhibitorNext);
    }
    this.turingActive = this.turing !== undefined && this.mayFire(this.turing.initialBounds(), this.p.steps);
  }

  /**
   * Applies the first step's spike. Call once before the first step, from one thread only (the
   * later spikes are applied by whichever stepper owns their row).
   */
  applyFirstSpike(): void {
    applyFirstSpike(this.plan);
  }

  /** Whether step t refreshes the pair's ranges for the horizon check (every few steps only: ranges cost a fifth of a step). */
  isHorizonCheck(t: number): boolean {
    return this.turingActive && (t + 1) % HORIZON_CHECK_INTERVAL === 0;
  }

  /** Ranges of A and H over this stepper's rows, as of the last horizon-check step. */
  get rowBounds(): TuringBounds {
    return this.turing ? this.turing.bounds : { minA: 0, maxA: 0, minH: 0, maxH: 0 };
  }

  /** The current field (after finishStep of the last step: the result). */
  get field(): Float64Array {
    return this.v;
  }

  /** Step t for rows [rowStart, rowEnd). */
  stepRows(t: number, rowStart: number, rowEnd: number, check: boolean): void {
    const { n, v, vNext } = this;
    const alpha = this.p.alpha;
    let fired = 0;
    if (this.turingActive && this.turing) fired = this.turing.stepRows(n, this.p.turingThreshold, check, rowStart, rowEnd);
    stepDiffusion(v, vNext, n, alpha, rowStart, rowEnd);
    // Rare (never at the service's threshold): redo the fired cells with their increment.
    for (let f = 0; f < fired && this.turing; f++) {
      const k = this.turing.firedCells[f];
      vNext[k] = clampField(diffusedAt(v, k, n, alpha) + TURING_INCREMENT);
    }
    if (t + 1 < this.p.steps) {
      const cell = this.plan.spikeCell[t + 1];
      if (cell >= rowStart * n && cell < rowEnd * n) vNext[cell] += this.plan.spikeAmplitude[t + 1];
    }
  }

  /**
   * Ends step t on this stepper's view: swaps the buffers and, on a horizon-check step, decides
   * from the ranges over the whole grid (all row ranges combined) whether the pair may still fire.
   */
  finishStep(t: number, gridBounds?: TuringBounds): void {
    [this.v, this.vNext] = [this.vNext, this.v];
    this.turing?.swap();
    if (gridBounds) this.turingActive = this.mayFire(gridBounds, this.p.steps - t - 1);
  }

  /** The pair is integrated exactly until it provably cannot reach the threshold any more. */
  private mayFire(bounds: TuringBounds, remaining: number): boolean {
    return this.p.exactTuring || turingSafeHorizon(bounds, this.p.turingThreshold, remaining) < remaining;
  }
}

/** Combines per-row-range ranges into the grid's. */
export function combineBounds(parts: readonly TuringBounds[]): TuringBounds {
  return {
    minA: Math.min(...parts.map((b) => b.minA)),
    maxA: Math.max(...parts.map((b) => b.maxA)),
    minH: Math.min(...parts.map((b) => b.minH)),
    maxH: Math.max(...parts.map((b) => b.maxH)),
  };
}

/** The run with per-cell jitter: its noise is drawn inside every step, so it runs whole-grid on one thread. */
function simulateWithJitter(p: FieldSimulationParams, rng: RandomSource): FieldSimulationResult {
  const n = p.gridSize;
  const cells = n * n;
  let v = new Float64Array(cells);
  let vNext = new Float64Array(cells);
  for (let k = 0; k < cells; k++) v[k] = rng.normal(FIELD_INITIAL_MEAN_V, FIELD_INITIAL_STD_V);
  let turing: TuringPair | undefined;
  if (p.turingEnabled) {
    const a = new Float64Array(cells);
    const h = new Float64Array(cells);
    for (let k = 0; k < cells; k++) a[k] = rng.uniform(0, TURING_INITIAL_MAX);
    for (let k = 0; k < cells; k++) h[k] = rng.uniform(0, TURING_INITIAL_MAX);
    turing = new TuringPair(a, h, new Float64Array(cells), new Float64Array(cells));
  }
  const jitterStd = Math.sqrt(p.jitterVariance);
  const threshold = p.turingThreshold;
  const mayFire = (bounds: TuringBounds, remaining: number) =>
    p.exactTuring || turingSafeHorizon(bounds, threshold, remaining) < remaining;
  let turingActive = turing !== undefined && mayFire(turing.initialBounds(), p.steps);
  let events = 0;
  for (let t = 0; t < p.steps; t++) {
    if (rng.nextDouble() < p.spikeProbability) {
      const i = rng.integer(n);
      const j = rng.integer(n);
      v[i * n + j] += rng.normal(SPIKE_AMPLITUDE_MEAN_V, SPIKE_AMPLITUDE_STD_V);
      events++;
    }
    let fired = 0;
    if (turingActive && turing) {
      const check = (t + 1) % HORIZON_CHECK_INTERVAL === 0;
      fired = turing.stepRows(n, threshold, check, 0, n);
      turing.swap();
      if (check) turingActive = mayFire(turing.bounds, p.steps - t - 1);
    }
    stepDiffusionWithJitter(v, vNext, n, p.alpha, turing?.firedMask(fired), rng, jitterStd);
    [v, vNext] = [vNext, v];
  }
  return { field: v, gridSize: n, growthEvents: events };
}

/**
 * Rounding slack. One computed step of the pair is off from the exact map by at most ~1e-14
 * (ten operations on values of magnitude <= 4), and the map is Lipschitz with constant
 * 1 + 2 ra = 1.02 in the max norm, so after s skipped steps the computed activator can exceed
 * the exact one by at most 1e-14 (1.02^s - 1) / 0.02: 2e-4 for 1000 steps. Horizons far beyond
 * the service's 1000 steps therefore come out 0 (always integrate).
 */
const ROUNDING_PER_STEP = 1e-14;
const STEP_LIPSCHITZ = 1 + 2 * TURING_ACTIVATOR_RATE;

function roundingSlack(steps: number): number {
  return Math.max(1e-9, (ROUNDING_PER_STEP * (STEP_LIPSCHITZ ** steps - 1)) / (STEP_LIPSCHITZ - 1));
}
/** Steps between horizon checks while the pair is integrated. */
const HORIZON_CHECK_INTERVAL = 8;

/** Ranges of the activator and inhibitor over the grid (after the clip). */
export interface TuringBounds {
  minA: number;
  maxA: number;
  minH: number;
  maxH: number;
}

/** Largest and smallest of x(1 - x) over [lo, hi] within [0, 1]. */
function logisticRange(lo: number, hi: number): [number, number] {
  const atLo = lo * (1 - lo);
  const atHi = hi * (1 - hi);
  const top = lo <= 0.5 && hi >= 0.5 ? 0.25 : Math.max(atLo, atHi);
  return [Math.min(atLo, atHi), top];
}

const clip01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * How many further steps the unclamped activator provably stays at or below `threshold`, given
 * the current ranges of A and H (capped at `limit`).
 *
 * Why it holds: A' = [(1 - 4 Da) A + Da (sum of the 4 neighbours)] + ra A(1 - A) - ra H. The
 * bracket is a convex combination (1 - 4 Da >= 0), so it lies in [min A, max A]; the other two
 * terms lie in ra [min x(1-x), max x(1-x)] over that range and in -ra [max H, min H]. Likewise
 * H' = [(1 - 4 Di - ri) H + Di (sum of neighbours)] + ri A' lies in (1 - ri) [min H, max H] +
 * ri [min A', max A']. Iterating these interval bounds (clipped to [0, 1] like the arrays)
 * covers every cell and every later step. While the upper bound stays below the threshold the
 * increment cannot fire, so skipping the pair changes no bit of V; the random draws that
 * initialise A and H are still made.
 */
export function turingSafeHorizon(bounds: TuringBounds, threshold: number, limit: number): number {
  const ceiling = threshold - roundingSlack(limit);
  let { minA, maxA, minH, maxH } = bounds;
  let s = 0;
  while (s < limit) {
    const [gLo, gHi] = logisticRange(minA, maxA);
    const nextMaxA = maxA + RA * (gHi - minH);
    if (!(nextMaxA <= ceiling)) break;
    const nextMinA = minA + RA * (gLo - maxH);
    const nextMaxH = (1 - RI) * maxH + RI * nextMaxA;
    const nextMinH = (1 - RI) * minH + RI * nextMinA;
    minA = clip01(nextMinA);
    maxA = clip01(nextMaxA);
    minH = clip01(nextMinH);
    maxH = clip01(nextMaxH);
    s++;
  }
  return s;
}

function clampField(x: number): number {
  return x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
}

/** Diffused value of cell k: c + alpha ((((up + down) + left) + right) - 4 c), the reference's order. */
function diffusedAt(v: Float64Array, k: number, n: number, alpha: number): number {
  const i = Math.floor(k / n);
  const j = k - i * n;
  const row = i * n;
  const up = (i === 0 ? n - 1 : i - 1) * n + j;
  const down = (i === n - 1 ? 0 : i + 1) * n + j;
  const left = row + (j === 0 ? n - 1 : j - 1);
  const right = row + (j === n - 1 ? 0 : j + 1);
  const c = v[k];
  return c + alpha * (v[up] + v[down] + v[left] + v[right] - 4 * c);
}

/**
 * Diffusion (every cell from the old V) and the ion clamp in one row-major pass. Edge columns
 * wrap; the interior runs without wrap arithmetic because this loop dominates the run time.
 */
function stepDiffusion(v: Float64Array, out: Float64Array, n: number, alpha: number, rowStart = 0, rowEnd = n): void {
  if (n < 3) {
    for (let k = rowStart * n; k < rowEnd * n; k++) out[k] = clampField(diffusedAt(v, k, n, alpha));
    return;
  }
  for (let i = rowStart; i < rowEnd; i++) {
    const row = i * n;
    const up = (i === 0 ? n - 1 : i - 1) * n;
    const down = (i === n - 1 ? 0 : i + 1) * n;
    const last = row + n - 1;
    let c = v[row];
    let x = c + alpha * (v[up] + v[down] + v[last] + v[row + 1] - 4 * c);
    out[row] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
      c = v[k];
      x = c + alpha * (v[ku] + v[kd] + v[k - 1] + v[k + 1] - 4 * c);
      out[k] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
    }
    c = v[last];
    x = c + alpha * (v[up + n - 1] + v[down + n - 1] + v[last - 1] + v[row] - 4 * c);
    out[last] = x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x;
  }
}

/**
 * Diffusion, the Turing increment of the fired cells, one N(0, jitterStd) draw per cell in
 * row-major order, then the clamp.
 */
function stepDiffusionWithJitter(
  v: Float64Array,
  out: Float64Array,
  n: number,
  alpha: number,
  fired: Uint8Array | undefined,
  rng: RandomSource,
  jitterStd: number,
): void {
  for (let k = 0; k < n * n; k++) {
    let x = diffusedAt(v, k, n, alpha);
    if (fired !== undefined && fired[k] === 1) x += TURING_INCREMENT;
    out[k] = clampField(x + rng.normal(0, jitterStd));
  }
}

/**
 * The activator (A) and inhibitor (H) arrays. They never read V: each step only reports which
 * cells' potentials receive the increment.
 */
class TuringPair {
  private a: Float64Array;
  private h: Float64Array;
  private aNext: Float64Array;
  private hNext: Float64Array;
  /** Indices of the cells whose unclamped A' exceeded the threshold in the last step. */
  readonly firedCells: Int32Array;
  private mask?: Uint8Array;
  /** Ranges of A and H now (for turingSafeHorizon). */
  readonly bounds: TuringBounds = { minA: 0, maxA: 0, minH: 0, maxH: 0 };

  constructor(a: Float64Array, h: Float64Array, aNext: Float64Array, hNext: Float64Array) {
    this.a = a;
    this.h = h;
    this.aNext = aNext;
    this.hNext = hNext;
    this.firedCells = new Int32Array(a.length);
  }

  /** Ranges of the current A and H over the whole grid. */
  initialBounds(): TuringBounds {
    const [minA, maxA] = rangeOf(this.a);
    const [minH, maxH] = rangeOf(this.h);
    return { minA, maxA, minH, maxH };
  }

  /** Makes the step just written the current state (call once per step, after every row range is done). */
  swap(): void {
    [this.a, this.aNext] = [this.aNext, this.a];
    [this.h, this.hNext] = [this.hNext, this.h];
  }

  /** The fired cells as a 0/1 mask, or undefined when none fired. */
  firedMask(count: number): Uint8Array | undefined {
    if (count === 0) return undefined;
    this.mask ??= new Uint8Array(this.a.length);
    this.mask.fill(0);
    for (let f = 0; f < count; f++) this.mask[this.firedCells[f]] = 1;
    return this.mask;
  }

  /**
   * One exact step: A' = A + (Da LA + ra (A(1-A) - H)); H' = H + (Di LH + ri (A' - H)) with the
   * updated A'; the threshold is tested on the unclamped A'; then both are clipped to [0, 1].
   * Works on rows [rowStart, rowEnd) and writes only those rows of the next state; returns the
   * number of fired cells (in `firedCells`); refreshes `bounds` (over these rows) when
   * `trackBounds` is set. `swap` makes the result current once every row range is done.
   */
  stepRows(n: number, threshold: number, trackBounds: boolean, rowStart: number, rowEnd: number): number {
    const { a, h, aNext, hNext } = this;
    const range: StepRange = { fired: 0, minA: 1, maxA: 0, minH: 1, maxH: 0 };
    for (let i = rowStart; i < rowEnd; i++) {
      const row = i * n;
      const up = (i === 0 ? n - 1 : i - 1) * n;
      const down = (i === n - 1 ? 0 : i + 1) * n;
      if (n < 3) {
        for (let j = 0; j < n; j++) {
          const left = row + (j === 0 ? n - 1 : j - 1);
          const right = row + (j === n - 1 ? 0 : j + 1);
          this.cell(row + j, up + j, down + j, left, right, threshold, range);
        }
        continue;
      }
      const last = row + n - 1;
      this.cell(row, up, down, last, row + 1, threshold, range);
      range.fired = trackBounds
        ? turingRowWithRanges(a, h, aNext, hNext, row, up, down, n, threshold, range, this.firedCells)
        : turingRow(a, h, aNext, hNext, row, up, down, n, threshold, range.fired, this.firedCells);
      this.cell(last, up + n - 1, down + n - 1, last - 1, row, threshold, range);
    }
    if (trackBounds) {
      this.bounds.minA = range.minA;
      this.bounds.maxA = range.maxA;
      this.bounds.minH = range.minH;
      this.bounds.maxH = range.maxH;
    }
    return range.fired;
  }

  /** One cell with explicit neighbour indices (grid edges and tiny grids). */
  private cell(k: number, ku: number, kd: number, kl: number, kr: number, threshold: number, range: StepRange): void {
    const { a, h } = this;
    const ac = a[k];
    const hc = h[k];
    const aNew = ac + (DA * (a[ku] + a[kd] + a[kl] + a[kr] - 4 * ac) + RA * (ac * (1 - ac) - hc));
    const hNew = hc + (DI * (h[ku] + h[kd] + h[kl] + h[kr] - 4 * hc) + RI * (aNew - hc));
    if (aNew > threshold) this.firedCells[range.fired++] = k;
    const aClipped = clip01(aNew);
    const hClipped = clip01(hNew);
    this.aNext[k] = aClipped;
    this.hNext[k] = hClipped;
    if (aClipped < range.minA) range.minA = aClipped;
    if (aClipped > range.maxA) range.maxA = aClipped;
    if (hClipped < range.minH) range.minH = hClipped;
    if (hClipped > range.maxH) range.maxH = hClipped;
  }
}

interface StepRange {
  fired: number;
  minA: number;
  maxA: number;
  minH: number;
  maxH: number;
}

function rangeOf(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < lo) lo = values[k];
    if (values[k] > hi) hi = values[k];
  }
  return [lo, hi];
}

/**
 * The interior columns 1..N-2 of one row (no wrap arithmetic; this loop dominates the cost of
 * the pair). Left, centre and right values slide through locals instead of being reloaded.
 * Returns the updated fired count.
 */
function turingRow(
  a: Float64Array,
  h: Float64Array,
  aOut: Float64Array,
  hOut: Float64Array,
  row: number,
  up: number,
  down: number,
  n: number,
  threshold: number,
  firedSoFar: number,
  firedCells: Int32Array,
): number {
  let fired = firedSoFar;
  let aL = a[row];
  let aC = a[row + 1];
  let hL = h[row];
  let hC = h[row + 1];
  const last = row + n - 1;
  for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
    const aR = a[k + 1];
    const hR = h[k + 1];
    const aNew = aC + (DA * (a[ku] + a[kd] + aL + aR - 4 * aC) + RA * (aC * (1 - aC) - hC));
    const hNew = hC + (DI * (h[ku] + h[kd] + hL + hR - 4 * hC) + RI * (aNew - hC));
    if (aNew > threshold) firedCells[fired++] = k;
    aOut[k] = aNew < 0 ? 0 : aNew > 1 ? 1 : aNew;
    hOut[k] = hNew < 0 ? 0 : hNew > 1 ? 1 : hNew;
    aL = aC;
    aC = aR;
    hL = hC;
    hC = hR;
  }
  return fired;
}

/** turingRow that also folds the clipped values' ranges into `range` (on horizon-check steps). */
function turingRowWithRanges(
  a: Float64Array,
  h: Float64Array,
  aOut: Float64Array,
  hOut: Float64Array,
  row: number,
  up: number,
  down: number,
  n: number,
  threshold: number,
  range: StepRange,
  firedCells: Int32Array,
): number {
  let fired = range.fired;
  let minA = range.minA;
  let maxA = range.maxA;
  let minH = range.minH;
  let maxH = range.maxH;
  let aL = a[row];
  let aC = a[row + 1];
  let hL = h[row];
  let hC = h[row + 1];
  const last = row + n - 1;
  for (let k = row + 1, ku = up + 1, kd = down + 1; k < last; k++, ku++, kd++) {
    const aR = a[k + 1];
    const hR = h[k + 1];
    const aNew = aC + (DA * (a[ku] + a[kd] + aL + aR - 4 * aC) + RA * (aC * (1 - aC) - hC));
    const hNew = hC + (DI * (h[ku] + h[kd] + hL + hR - 4 * hC) + RI * (aNew - hC));
    if (aNew > threshold) firedCells[fired++] = k;
    const aClipped = aNew < 0 ? 0 : aNew > 1 ? 1 : aNew;
    const hClipped = hNew < 0 ? 0 : hNew > 1 ? 1 : hNew;
    aOut[k] = aClipped;
    hOut[k] = hClipped;
    if (aClipped < minA) minA = aClipped;
    if (aClipped > maxA) maxA = aClipped;
    if (hClipped < minH) minH = hClipped;
    if (hClipped > maxH) maxH = hClipped;
    aL = aC;
    aC = aR;
    hL = hC;
    hC = hR;
  }
  range.minA = minA;
  range.maxA = maxA;
  range.minH = minH;
  range.maxH = maxH;
  return fired;
}
