/**
 * Acceptance statistics: responses that depend on the random generator are compared with the
 * reference by distribution, not value (docs/compute.md, "Random numbers and reproducibility").
 */
export interface SummaryStats {
  n: number;
  mean: number;
  std: number;
}

/** Mean and sample standard deviation (ddof = 1). */
export function summarise(values: readonly number[]): SummaryStats {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, std: Math.sqrt(variance) };
}

/** z of the difference of means and the ratio of standard deviations (implementation / reference). */
export function compareDistributions(impl: SummaryStats, ref: SummaryStats): { z: number; stdRatio: number } {
  const se = Math.sqrt(ref.std ** 2 / ref.n + impl.std ** 2 / impl.n);
  return { z: (impl.mean - ref.mean) / se, stdRatio: impl.std / ref.std };
}
