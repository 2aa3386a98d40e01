import { readGolden, relativeError } from '../../../test/helpers/golden';
import {
  GradientMatrix,
  aggregateHierarchical,
  blendKrumMedian,
  byzantineBudget,
  coordinateMedian,
  krumSelect,
  validateAggregationParams,
} from './krum';
import { createRng } from './prng';

interface KrumSelectCase {
  name: string;
  gradients: number[][];
  num_byzantine: number;
  num_neighbors: number;
  scores: number[] | null;
  selected_index: number;
  selected_gradient: number[];
  note?: string;
}

interface HttpCase {
  name: string;
  request: { gradients: number[][]; num_clusters: number; byzantine_fraction: number };
  level1_byzantine_count?: number;
  level1_scores?: number[] | null;
  level1_selected_index?: number;
  response?: { aggregated_gradient: number[]; num_input_gradients: number } | null;
  error?: string;
  http_status?: number;
}

interface SeededCase {
  name: string;
  num_clusters: number;
  byzantine_fraction: number;
  gradients: number[][];
  cluster_assignment: number[];
  clusters: { cluster: number; members: number[]; byzantine_count?: number; scores?: number[]; selected_member: number }[];
  representatives_in_cluster_order: number[];
  global_byzantine_count: number;
  global_scores: number[];
  global_selected_position: number;
  median: number[];
  result: number[];
}

interface KrumGolden {
  krum_select_cases: KrumSelectCase[];
  byzantine_count_table: { group_sizes: number[]; rows: { byzantine_fraction: number; estimates: Record<string, number> }[] };
  http_num_clusters_1_cases: HttpCase[];
  seeded_multi_cluster_cases: SeededCase[];
}

const golden = readGolden<KrumGolden>('krum.json');

function matrixOf(rows: number[][]): GradientMatrix {
  const cols = rows[0].length;
  const values = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => values.set(r, i * cols));
  return { values, rows: rows.length, cols };
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Float32 values compare exactly; decimals in the file are the float32 values written out. */
function expectFloat32Equal(actual: ArrayLike<number>, expected: number[]): void {
  expect(Array.from(actual)).toEqual(expected.map((x) => Math.fround(x)));
}

function expectScores(actual: ArrayLike<number> | null, expected: number[] | null | undefined, tolerance: number): void {
  if (expected === null || expected === undefined) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expected.forEach((e, k) => expect(relativeError((actual as ArrayLike<number>)[k], e)).toBeLessThanOrEqual(tolerance));
}

describe('Byzantine budget (krum.json byzantine_count_table)', () => {
  it('matches every group size and fraction, including the double-rounding artefacts', () => {
    for (const row of golden.byzantine_count_table.rows) {
      for (const g of golden.byzantine_count_table.group_sizes) {
        expect([row.byzantine_fraction, g, byzantineBudget(g, row.byzantine_fraction)]).toEqual([
          row.byzantine_fraction,
          g,
          row.estimates[String(g)],
        ]);
      }
    }
    expect(byzantineBudget(100, 0.07)).toBe(8);
  });
});

describe('krumSelect (krum.json krum_select_cases)', () => {
  it.each(golden.krum_select_cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = matrixOf(c.gradients);
    const pick = krumSelect(m, all(c.gradients.length), c.num_byzantine);
    expect(pick.position).toBe(c.selected_index);
    expect(pick.neighbours).toBe(c.num_neighbors);
    // Above 25 rows torch used |x|^2 + |y|^2 - 2 x.y, which moves scores in the low digits.
    expectScores(pick.scores, c.scores, c.gradients.length > 25 ? 1e-3 : 1e-5);
    expectFloat32Equal(m.values.subarray(pick.position * m.cols, (pick.position + 1) * m.cols), c.selected_gradient);
  });

  it('needs at least one gradient', () => {
    expect(() => krumSelect({ values: new Float32Array(0), rows: 0, cols: 3 }, [], 0)).toThrow(RangeError);
  });
});

describe('median and blend', () => {
  it('takes the lower middle value for an even count, as torch.median does', () => {
    const m = matrixOf([[4], [1], [3], [2]]);
    expect(Array.from(coordinateMedian(m, all(4)))).toEqual([2]);
    expect(Array.from(coordinateMedian(m, [0, 1, 2]))).toEqual([3]);
  });

  it('blends in float32: 0.7x + 0.3x is not always x', () => {
    const x = [0.1, 1.1, 3.3, 0.001, 7.77, -0.9, 123.456, 1000000.5].map(Math.fround);
    const blended = Array.from(blendKrumMedian(x, x));
    expect(blended).not.toEqual(x);
    blended.forEach((b, k) => expect(relativeError(b, x[k])).toBeLessThan(1e-6));
  });
});

describe('hierarchical aggregation with one cluster (krum.json http_num_clusters_1_cases)', () => {
  const ok = golden.http_num_clusters_1_cases.filter((c) => c.response);
  it.each(ok.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = matrixOf(c.request.gradients);
    const result = aggregateHierarchical(m, { numClusters: c.request.num_clusters, byzantineFraction: c.request.byzantine_fraction });
    expect(result.clusters).toHaveLength(1);
    expect(result.clusters[0].byzantine).toBe(c.level1_byzantine_count);
    expect(result.clusters[0].selected).toBe(c.level1_selected_index);
    expectScores(result.clusters[0].scores, c.level1_scores, c.request.gradients.length > 25 ? 1e-3 : 1e-5);
    expectFloat32Equal(result.gradient, (c.response as { aggregated_gradient: number[] }).aggregated_gradient);
  });

  it('rejects byzantine_fraction 0.5 and an empty list like the reference aggregator', () => {
    expect(() => validateAggregationParams(1, 0.5)).toThrow(RangeError);
    expect(() => aggregateHierarchical({ values: new Float32Array(0), rows: 0, cols: 2 }, { numClusters: 1, byzantineFraction: 0.2 })).toThrow(
      'No gradients provided',
    );
    expect(() => validateAggregationParams(0, 0.2)).toThrow(RangeError);
    expect(() => validateAggregationParams(1, 0.2, 0)).toThrow(RangeError);
  });
});

describe('hierarchical aggregation with a recorded cluster assignment (krum.json seeded_multi_cluster_cases)', () => {
  it.each(golden.seeded_multi_cluster_cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = matrixOf(c.gradients);
    const r = aggregateHierarchical(m, {
      numClusters: c.num_clusters,
      byzantineFraction: c.byzantine_fraction,
      assignment: c.cluster_assignment,
    });
    expect(r.clusters.map((x) => x.label)).toEqual(c.clusters.map((x) => x.cluster));
    r.clusters.forEach((cl, k) => {
      const ref = c.clusters[k];
      expect(cl.members).toEqual(ref.members);
      expect(cl.selected).toBe(ref.selected_member);
      if (ref.members.length > 1) {
        expect(cl.byzantine).toBe(ref.byzantine_count);
        expectScores(cl.scores, ref.scores, 1e-5);
      }
    });
    expect(r.representatives).toEqual(c.representatives_in_cluster_order);
    expect(r.globalByzantine).toBe(c.global_byzantine_count);
    expectScores(r.globalScores, c.global_scores, 1e-5);
    expect(r.globalSelected).toBe(c.global_selected_position);
    expectFloat32Equal(r.median, c.median);
    expectFloat32Equal(r.gradient, c.result);
  });
});

describe('random clustering and sampling', () => {
  const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i), i % 3]);

  it('is reproducible for a seed and uses every client once', () => {
    const run = (seed: number) => aggregateHierarchical(matrixOf(rows), { numClusters: 5, byzantineFraction: 0.2, rng: createRng(seed) });
    const a = run(7);
    expect(Array.from(run(7).gradient)).toEqual(Array.from(a.gradient));
    expect(a.clusters.flatMap((c) => c.members).sort((x, y) => x - y)).toEqual(all(40));
    expect(run(8).clusters.map((c) => c.members)).not.toEqual(a.clusters.map((c) => c.members));
  });

  it('samples ceil(10%) of the clients without replacement above 1000 clients', () => {
    const many = Array.from({ length: 1001 }, (_, i) => [i, -i]);
    const r = aggregateHierarchical(matrixOf(many), { numClusters: 10, byzantineFraction: 0.2, rng: createRng(1) });
    expect(r.clients).toHaveLength(101);
    expect(new Set(r.clients).size).toBe(101);
    expect(r.clients.every((c) => c >= 0 && c < 1001)).toBe(true);
  });

  it('needs a random source when clusters must be drawn', () => {
    expect(() => aggregateHierarchical(matrixOf(rows), { numClusters: 5, byzantineFraction: 0.2 })).toThrow(RangeError);
  });

  it('keeps an outlier out of a 1-cluster aggregate', () => {
    const honest = Array.from({ length: 9 }, (_, i) => [1 + 0.01 * i, 2 - 0.01 * i]);
    const r = aggregateHierarchical(matrixOf([[1e6, -1e6], ...honest]), { numClusters: 1, byzantineFraction: 0.2 });
    expect(Math.abs(r.gradient[0] - 1)).toBeLessThan(0.1);
  });
});
