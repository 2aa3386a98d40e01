import type { RandomSource } from './prng';

/**
 * Byzantine-robust hierarchical Krum aggregation, in float32 like the
 * reference: clients are split into random clusters, Krum picks one representative per cluster,
 * then the result blends a global Krum pick with the coordinate-wise median of the
 * representatives (0.7 / 0.3 in float32).
 *
 * Gradients are one row-major Float32Array of n rows x d columns.
 */

/** Reference defaults of the aggregator class; the HTTP layer uses 10 clusters. */
export const DEFAULT_SAMPLE_FRACTION = 0.1;
/** Above this many clients a random subset is aggregated. */
export const SAMPLING_THRESHOLD = 1000;

const KRUM_WEIGHT = Math.fround(0.7);
const MEDIAN_WEIGHT = Math.fround(0.3);
const f32 = Math.fround;

export interface GradientMatrix {
  values: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Assumed Byzantine members of a group of g: 0 if g <= 0, else
 * min(ceil(g * fraction), max(0, floor((g - 3) / 2))). The product is a plain double, so
 * 100 * 0.07 = 7.000000000000001 gives 8, exactly like the reference.
 */
export function byzantineBudget(groupSize: number, fraction: number): number {
  if (groupSize <= 0) return 0;
  return Math.min(Math.ceil(groupSize * fraction), Math.max(0, Math.floor((groupSize - 3) / 2)));
}

export interface KrumSelection {
  /** Position of the winner within `members`. */
  position: number;
  /** Score per member (null for a single member, which is returned without scoring). */
  scores: Float32Array | null;
  /** Neighbours summed per score: max(1, n - f - 2). */
  neighbours: number;
}

/** Euclidean distance (not squared) between two rows, rounded to float32. */
function rowDistance(values: Float32Array, cols: number, a: number, b: number): number {
  let sq = 0;
  const oa = a * cols;
  const ob = b * cols;
  for (let c = 0; c < cols; c++) {
    const diff = f32(values[oa + c] - values[ob + c]);
    sq += diff * diff;
  }
  return f32(Math.sqrt(sq));
}

/**
 * Krum over the rows listed in `members`: score_i = float32 sum of the k = max(1, n - f - 2)
 * smallest distances to the others (position 0 of the sorted row, the self-distance 0, is
 * skipped); the smallest score wins, the first on a tie. Distances use exact differences (the
 * reference's torch switched to |x|^2 + |y|^2 - 2 x.y above 25 rows, which only perturbs low digits).
 */
export function krumSelect(matrix: GradientMatrix, members: ArrayLike<number>, byzantine: number): KrumSelection {
  const n = members.length;
  if (n === 0) throw new RangeError('krum needs at least one gradient');
  const neighbours = Math.max(1, n - byzantine - 2);
  if (n === 1) return { position: 0, scores: null, neighbours: 0 };
  const dist = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = rowDistance(matrix.values, matrix.cols, members[i], members[j]);
      dist[i * n + j] = d;
      dist[j * n + i] = d;
    }
  }
  const scores = new Float32Array(n);
  let best = 0;
  for (let i = 0; i < n; i++) {
    const row = dist.slice(i * n, (i + 1) * n).sort();
    let score = 0;
    for (let k = 1; k <= neighbours && k < n; k++) score = f32(score + row[k]);
    scores[i] = score;
    if (score < scores[best]) best = i;
  }
  return { position: best, scores, neighbours };
}

/** Coordinate-wise median with torch's rule: rank floor((m-1)/2), the lower middle for even m. */
export function coordinateMedian(matrix: GradientMatrix, members: ArrayLike<number>): Float32Array {
  const m = members.length;
  if (m === 0) throw new RangeError('median needs at least one gradient');
  const out = new Float32Array(matrix.cols);
  const column = new Float32Array(m);
  const rank = (m - 1) >> 1;
  for (let c = 0; c < matrix.cols; c++) {
    for (let r = 0; r < m; r++) column[r] = matrix.values[members[r] * matrix.cols + c];
    column.sort();
    out[c] = column[rank];
  }
  return out;
}

/** fl32(fl32(0.7f * krum) + fl32(0.3f * median)), element-wise. */
export function blendKrumMedian(krum: ArrayLike<number>, median: ArrayLike<number>): Float32Array {
  const out = new Float32Array(krum.length);
  for (let c = 0; c < krum.length; c++) out[c] = f32(f32(KRUM_WEIGHT * krum[c]) + f32(MEDIAN_WEIGHT * median[c]));
  return out;
}

export interface AggregationOptions {
  numClusters: number;
  byzantineFraction: number;
  sampleFraction?: number;
  /** Source of the client sample and cluster labels. */
  rng?: RandomSource;
  /** Explicit cluster label per (sampled) client, for tests that replay a recorded assignment. */
  assignment?: ArrayLike<number>;
}

export interface ClusterTrace {
  label: number;
  /** Client indices (rows of the input) in their original order. */
  members: number[];
  byzantine: number;
  scores: Float32Array | null;
  /** Client index of the cluster's representative. */
  selected: number;
}

export interface AggregationResult {
  gradient: Float32Array;
  /** Client rows aggregated (all, or the random subset above 1000 clients), in sample order. */
  clients: number[];
  clusters: ClusterTrace[];
  /** Client index of each representative, in cluster order. */
  representatives: number[];
  globalByzantine: number;
  globalScores: Float32Array | null;
  /** Position of the global Krum pick within `representatives`. */
  globalSelected: number;
  median: Float32Array;
}

/** The aggregator's own parameter checks (the reference raised ValueError). */
export function validateAggregationParams(numClusters: number, byzantineFraction: number, sampleFraction = DEFAULT_SAMPLE_FRACTION): void {
  if (!Number.isInteger(numClusters) || numClusters < 1) throw new RangeError('num_clusters must be an integer >= 1');
  if (!(byzantineFraction >= 0 && byzantineFraction < 0.5)) throw new RangeError('byzantine_fraction must be in [0, 0.5)');
  if (!(sampleFraction > 0 && sampleFraction <= 1)) throw new RangeError('sample_fraction must be in (0, 1]');
}

/** A uniform random subset of `size` of 0..n-1 without replacement, in random order. */
function sampleWithoutReplacement(n: number, size: number, rng: RandomSource): number[] {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + rng.integer(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return Array.from(pool.subarray(0, size));
}

export function aggregateHierarchical(matrix: GradientMatrix, options: AggregationOptions): AggregationResult {
  const sampleFraction = options.sampleFraction ?? DEFAULT_SAMPLE_FRACTION;
  validateAggregationParams(options.numClusters, options.byzantineFraction, sampleFraction);
  const { rows: n, cols: d } = matrix;
  if (n === 0) throw new RangeError('No gradients provided');
  if (matrix.values.length !== n * d) throw new RangeError('gradient matrix size does not match rows x cols');

  const needsRng = n > SAMPLING_THRESHOLD || (options.assignment === undefined && Math.min(options.numClusters, n) > 1);
  if (needsRng && !options.rng) throw new RangeError('a random source is required for sampling or clustering');
  const clients =
    n > SAMPLING_THRESHOLD
      ? sampleWithoutReplacement(n, Math.max(1, Math.ceil(n * sampleFraction)), options.rng as RandomSource)
      : Array.from({ length: n }, (_, i) => i);
  const used = clients.length;
  const clusterCount = Math.min(options.numClusters, used);

  const labels = new Int32Array(used);
  if (options.assignment !== undefined) {
    if (options.assignment.length !== used) throw new RangeError('assignment needs one label per client');
    for (let i = 0; i < used; i++) {
      const label = options.assignment[i];
      if (!Number.isInteger(label) || label < 0 || label >= clusterCount) throw new RangeError('assignment label out of range');
      labels[i] = label;
    }
  } else if (clusterCount > 1) {
    for (let i = 0; i < used; i++) labels[i] = (options.rng as RandomSource).integer(clusterCount);
  }

  const clusters: ClusterTrace[] = [];
  for (let label = 0; label < clusterCount; label++) {
    const members: number[] = [];
    for (let i = 0; i < used; i++) if (labels[i] === label) members.push(clients[i]);
    if (members.length === 0) continue;
    const byzantine = byzantineBudget(members.length, options.byzantineFraction);
    const pick = krumSelect(matrix, members, byzantine);
    clusters.push({ label, members, byzantine, scores: pick.scores, selected: members[pick.position] });
  }

  const representatives = clusters.map((c) => c.selected);
  const globalByzantine = byzantineBudget(representatives.length, options.byzantineFraction);
  const global = krumSelect(matrix, representatives, globalByzantine);
  const winner = representatives[global.position];
  const median = coordinateMedian(matrix, representatives);
  const gradient = blendKrumMedian(matrix.values.subarray(winner * d, (winner + 1) * d), median);
  return {
    gradient,
    clients,
    clusters,
    representatives,
    globalByzantine,
    globalScores: global.scores,
    globalSelected: global.position,
    median,
  };
}
