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
  const nonzero = diffs.filter((d) => d !== 0);
  const means = nonzero.length <= SPARSE * n ? sparseMeans(Float64Array.from(nonzero), n, resamples, seed) : denseMeans(Float64Array.from(diffs), resamples, seed);
  means.sort();
  const lo = means[Math.floor(((1 - level) / 2) * (resamples - 1))]!;
  const hi = means[Math.ceil((1 - (1 - level) / 2) * (resamples - 1))]!;
  return [lo, hi];
}

/**
 * Below this share of non-zero differences the resamples are drawn sparsely. A run with few
 * changes (the common case) has mostly zero differences, and a zero adds nothing to a sum.
 */
const SPARSE = 0.1;

/** Means of `resamples` resamples of `data` drawn with replacement, one draw per element. */
function denseMeans(data: Float64Array, resamples: number, seed: number): Float64Array {
  const n = data.length;
  const means = new Float64Array(resamples);
  // mulberry32 (prng.ts) inlined: this loop runs resamples × n times and dominates comparison.
  let a = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      s += data[(((t ^ (t >>> 14)) >>> 0) * n) / 4294967296 | 0]!;
    }
    means[r] = s / n;
  }
  return means;
}

/**
 * The same resample means when only `values` (m of the n differences) are non-zero, in O(m)
 * per resample instead of O(n): each of the n draws lands on a non-zero difference with
 * probability q = m/n independently, so the draws that do are found by geometric gaps
 * (floor(ln U / ln(1 − q)) zero draws before the next hit), and each hit picks one of the m
 * values uniformly. Same distribution as {@link denseMeans}, another random stream.
 */
function sparseMeans(values: Float64Array, n: number, resamples: number, seed: number): Float64Array {
  const m = values.length;
  const means = new Float64Array(resamples);
  if (m === 0) return means;
  const logMiss = Math.log1p(-m / n);
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    // 1 − next() is in (0, 1]: its logarithm is finite.
    for (let i = Math.floor(Math.log(1 - next()) / logMiss); i < n; i += 1 + Math.floor(Math.log(1 - next()) / logMiss)) {
      s += values[(next() * m) | 0]!;
    }
    means[r] = s / n;
  }
  return means;
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

/** log C(n, k), exact enough for the sample sizes a gate sees (lgamma-free: sums of logs). */
function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  k = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * One-sided Fisher exact test that the candidate's pass rate is BELOW the baseline's:
 * P(X ≤ xc) for X hypergeometric, given `xc` passes of `nc` candidate runs and `xb` of `nb`
 * baseline runs (conditioning on the total passes). 1 when either side has no runs.
 */
export function fisherLess(xc: number, nc: number, xb: number, nb: number): number {
  if (nc <= 0 || nb <= 0) return 1;
  const n = nc + nb;
  const k = xc + xb;
  const denom = logChoose(n, nc);
  let p = 0;
  for (let x = Math.max(0, k - nb); x <= xc; x++) p += Math.exp(logChoose(k, x) + logChoose(n - k, nc - x) - denom);
  return Math.min(1, p);
}

/** P(X ≤ x) for X ~ Binomial(n, p): the one-sided exact binomial test. */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x >= n) return 1;
  if (x < 0) return 0;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let s = 0;
  for (let i = 0; i <= x; i++) s += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log(1 - p));
  return Math.min(1, s);
}

/**
 * One-sided exact McNemar test that outcomes got WORSE: `b` pairs went pass→fail, `c` went
 * fail→pass; P(X ≥ b) for X ~ Binomial(b + c, ½). 1 when there are no discordant pairs.
 */
export function mcnemarLess(b: number, c: number): number {
  if (b + c === 0) return 1;
  return binomialCdf(c, b + c, 0.5);
}

/**
 * One-sided paired sign-flip (randomisation) test that the mean of `diffs` is below 0: under
 * "no change" each case's difference is as likely to be negated, so the p-value is the share
 * of sign assignments whose mean is at most the observed one. Exact (all 2^n assignments) up
 * to 16 cases, else `draws` seeded Monte-Carlo assignments with the +1 correction.
 */
export function signFlipLess(diffs: readonly number[], draws = 4000, seed = 7): number {
  const n = diffs.length;
  if (n === 0) return 1;
  let observed = 0;
  for (const d of diffs) observed += d;
  const eps = 1e-9 * Math.max(1, n);
  if (n <= 16) {
    let atMost = 0;
    const total = 1 << n;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += mask & (1 << i) ? -diffs[i]! : diffs[i]!;
      if (s <= observed + eps) atMost++;
    }
    return atMost / total;
  }
  const rand = seededRandom(seed);
  let atMost = 0;
  for (let d = 0; d < draws; d++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rand() < 0.5 ? -diffs[i]! : diffs[i]!;
    if (s <= observed + eps) atMost++;
  }
  return (atMost + 1) / (draws + 1);
}

/**
 * Holm's step-down adjustment: adjusted p-values (same order as given) that control the
 * family-wise error rate of the whole list at the level they are compared with.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(pValues.length);
  let running = 0;
  for (const [rank, { p, i }] of order.entries()) {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    out[i] = running;
  }
  return out;
}
