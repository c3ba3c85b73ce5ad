/**
 * Paired statistics for comparing a candidate with its baseline case by case. Pure and
 * deterministic: the bootstrap uses a seeded generator so the same run gives the same interval.
 */
import { seededRandom } from '../prng.js';

export { seededRandom };

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Percentile bootstrap interval of the mean of paired differences.
 * @param level confidence level, default 0.95
 * @param resamples default 2000
 */
export function bootstrapMeanCi(diffs: readonly number[], level = 0.95, resamples = 2000, seed = 1): [number, number] | undefined {
  const n = diffs.length;
  if (n < 2) return undefined;
  const rand = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diffs[Math.floor(rand() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  const lo = means[Math.floor(((1 - level) / 2) * (resamples - 1))]!;
  const hi = means[Math.ceil((1 - (1 - level) / 2) * (resamples - 1))]!;
  return [lo, hi];
}

/**
 * Exact McNemar test: two-sided binomial p-value for `b` cases that went pass→fail and `c`
 * that went fail→pass (the discordant pairs). 1 when there are none.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // P(X <= k) for X ~ Binomial(n, 0.5), computed in log space to stay finite for large n.
  let logCoef = 0; // log C(n, 0)
  let cdf = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logCoef += Math.log(n - i + 1) - Math.log(i);
    cdf += Math.exp(logCoef - n * Math.LN2);
  }
  return Math.min(1, 2 * cdf);
}

/** Nearest-rank percentile of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
