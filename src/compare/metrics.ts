/**
 * Aggregate tests per metric × variant × dataset. Repeats are clustered: every case contributes
 * ONE paired difference (its candidate mean minus its baseline mean over the first pass), so ten
 * repeats of a case are not ten cases. The p-value is one-sided ("the candidate is worse"):
 * exact McNemar when each case has one binary run a side, otherwise a paired sign-flip test
 * over cases. The interval is a case-resampling bootstrap of the mean difference. Holm's
 * adjustment over every test of the run controls the false-alarm rate across metrics,
 * variants and datasets. Confirmation re-runs never enter (they sample flips only).
 */
import type { Obs } from './observations.js';
import { bootstrapMeanCi, holmAdjust, mcnemarLess, mean, signFlipLess } from './stats.js';
import type { MetricComparison } from './types.js';

/** One case × variant's first-pass runs on both sides. */
export interface MetricInput {
  dataset: string;
  variant: string;
  cand: readonly Obs[];
  base: readonly Obs[];
}

/** The case's overall pass/fail, tested alongside the evaluators. */
export const PASS_METRIC = 'pass';

/** When any evaluator sets a `weight`: the weighted mean score of a run (unweighted ones count 1). */
export const WEIGHTED_METRIC = 'weighted';

/** A run's weighted mean over its scored evaluators, or undefined when none is weighted. */
function weightedScore(o: Obs): number | undefined {
  let any = false;
  let sum = 0;
  let total = 0;
  for (const s of o.scores) {
    if (s.state !== undefined) continue;
    if (s.weight !== undefined) any = true;
    const w = s.weight ?? 1;
    sum += w * s.score;
    total += w;
  }
  return any && total > 0 ? sum / total : undefined;
}

/** What {@link accumulateMetrics} gives per metric × dataset × variant. */
export interface MetricAcc {
  name: string;
  variant: string;
  dataset: string;
  diffs: number[];
  /** Sum and count of the per-case means (summed in case order, as `mean` of a list would). */
  candSum: number;
  candCases: number;
  baseSum: number;
  baseCases: number;
  candPass: number;
  candN: number;
  basePass: number;
  baseN: number;
  /** Every pair is one binary run a side (McNemar applies). */
  binary: boolean;
  worse: number;
  better: number;
}

/** One side of a case for one metric: the sum of its runs' values (in run order), how many, how many passed. */
interface Side {
  sum: number;
  n: number;
  pass: number;
}

const side = (): Side => ({ sum: 0, n: 0, pass: 0 });

/** The runs' overall pass as 1 or 0. */
function passSide(obs: readonly Obs[], into: Side): Side {
  into.sum = 0;
  into.n = obs.length;
  into.pass = 0;
  for (const o of obs) if (o.pass) into.pass++;
  into.sum = into.pass;
  return into;
}

/** The runs' weighted means (runs with no weighted evaluator left out). */
function weightedSide(obs: readonly Obs[], into: Side): Side {
  into.sum = 0;
  into.n = 0;
  into.pass = 0;
  for (const o of obs) {
    const w = weightedScore(o);
    if (w === undefined) continue;
    into.sum += w;
    into.n++;
    if (o.pass) into.pass++;
  }
  return into;
}

/** Every scored value of evaluator `name` in the runs, run by run. */
function namedSide(obs: readonly Obs[], name: string, into: Side): Side {
  into.sum = 0;
  into.n = 0;
  into.pass = 0;
  for (const o of obs) {
    for (const s of o.scores) {
      if (s.state !== undefined || s.name !== name) continue;
      into.sum += s.score;
      into.n++;
      if (s.pass) into.pass++;
    }
  }
  return into;
}

/** The scored evaluators' names in the runs, in order of first appearance. */
function scoredNames(obs: readonly Obs[]): string[] {
  const names: string[] = [];
  for (const o of obs) for (const s of o.scores) if (s.state === undefined && !names.includes(s.name)) names.push(s.name);
  return names;
}

export function compareMetrics(inputs: Iterable<MetricInput>): MetricComparison[] {
  const list = accumulateMetrics(inputs);
  const out = list.map(finish);
  // An evaluator whose per-case values equal another's in the same dataset × variant (e.g. the
  // only evaluator and the overall pass) is the same test: it counts once in Holm's family.
  const representative = new Map<string, number>();
  const family: number[] = [];
  const familyOf: number[] = [];
  out.forEach((m, k) => {
    if (m.pValue === undefined) return;
    const a = list[k]!;
    const sig = `${a.dataset}\u0000${a.variant}\u0000${a.diffs.join(',')}`;
    const rep = representative.get(sig);
    if (rep !== undefined) {
      familyOf[k] = familyOf[rep]!;
      return;
    }
    representative.set(sig, k);
    familyOf[k] = family.length;
    family.push(m.pValue);
  });
  const adjusted = holmAdjust(family);
  out.forEach((m, k) => {
    if (m.pValue !== undefined) m.pAdjusted = round(adjusted[familyOf[k]!]!);
  });
  return out;
}

/**
 * Per metric × dataset × variant, in the order first met: the paired differences and the sums
 * the tests read. Made case by case with no list per case and metric (four or more arrays a case
 * before, a fifth of the comparison's time at 10,000 cases). Exported for its tests.
 */
export function accumulateMetrics(inputs: Iterable<MetricInput>): MetricAcc[] {
  // Accumulators in the order they were made, found by dataset × variant, then by metric name.
  const list: MetricAcc[] = [];
  const byGroup = new Map<string, Map<string, MetricAcc>>();
  let lastDataset: string | undefined;
  let lastVariant: string | undefined;
  let group = new Map<string, MetricAcc>();
  const get = (name: string, i: MetricInput): MetricAcc => {
    if (i.dataset !== lastDataset || i.variant !== lastVariant) {
      lastDataset = i.dataset;
      lastVariant = i.variant;
      const key = `${i.dataset}\u0000${i.variant}`;
      let g = byGroup.get(key);
      if (!g) byGroup.set(key, (g = new Map()));
      group = g;
    }
    let a = group.get(name);
    if (!a) {
      a = { name, variant: i.variant, dataset: i.dataset, diffs: [], candSum: 0, candCases: 0, baseSum: 0, baseCases: 0, candPass: 0, candN: 0, basePass: 0, baseN: 0, binary: true, worse: 0, better: 0 };
      group.set(name, a);
      list.push(a);
    }
    return a;
  };
  const cand = side();
  const base = side();
  for (const i of inputs) {
    if (i.cand.length === 0) continue;
    addPair(get(PASS_METRIC, i), passSide(i.cand, cand), passSide(i.base, base));
    if (weightedSide(i.cand, cand).n > 0) addPair(get(WEIGHTED_METRIC, i), cand, weightedSide(i.base, base));
    for (const name of scoredNames(i.cand)) addPair(get(name, i), namedSide(i.cand, name, cand), namedSide(i.base, name, base));
  }
  return list;
}

function addPair(a: MetricAcc, cand: Side, base: Side): void {
  if (cand.n === 0) return;
  const cm = cand.sum / cand.n;
  a.candSum += cm;
  a.candCases++;
  a.candPass += cand.pass;
  a.candN += cand.n;
  if (base.n === 0) return;
  const bm = base.sum / base.n;
  a.baseSum += bm;
  a.baseCases++;
  a.basePass += base.pass;
  a.baseN += base.n;
  a.diffs.push(cm - bm);
  const binary = cand.n === 1 && base.n === 1 && (cm === 0 || cm === 1) && (bm === 0 || bm === 1);
  if (!binary) a.binary = false;
  if (cm < bm) a.worse++;
  else if (cm > bm) a.better++;
}

function finish(a: MetricAcc): MetricComparison {
  const paired = a.diffs.length > 0;
  const out: MetricComparison = {
    name: a.name,
    variant: a.variant,
    dataset: a.dataset,
    baselineMean: paired ? round(a.baseCases === 0 ? NaN : a.baseSum / a.baseCases) : null,
    candidateMean: round(a.candCases === 0 ? NaN : a.candSum / a.candCases),
    delta: paired ? round(mean(a.diffs)) : null,
    baselinePassRate: a.baseN ? round(a.basePass / a.baseN) : null,
    candidatePassRate: a.candN ? round(a.candPass / a.candN) : 0,
    n: a.diffs.length,
  };
  if (!paired) return out;
  // Past a few thousand pairs the interval is stable with fewer resamples; each costs O(n).
  const ci = bootstrapMeanCi(a.diffs, 0.95, a.diffs.length > 2000 ? 1000 : 2000);
  if (ci) out.ci = [round(ci[0]), round(ci[1])];
  out.test = a.binary ? 'mcnemar' : 'sign-flip';
  out.pValue = round(a.binary ? mcnemarLess(a.worse, a.better) : signFlipLess(a.diffs));
  return out;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
