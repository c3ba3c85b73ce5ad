/**
 * Aggregate tests per metric × variant × dataset. Repeats are clustered: every case contributes
 * ONE paired difference (its candidate mean minus its baseline mean over the first pass), so ten
 * repeats of a case are not ten cases. The p-value is one-sided ("the candidate is worse"):
 * exact McNemar when each case has one binary run a side, otherwise a paired sign-flip test
 * over cases. The interval is a case-resampling bootstrap of the mean difference. Holm's
 * adjustment over every test of the run controls the false-alarm rate across metrics,
 * variants and datasets. Confirmation re-runs never enter (they sample flips only).
 */
import { type Obs, scored } from './observations.js';
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
function weightedScore(o: Obs): { score: number; pass: boolean } | undefined {
  const ss = scored(o.scores);
  if (!ss.some((s) => s.weight !== undefined)) return undefined;
  let sum = 0;
  let total = 0;
  for (const s of ss) {
    const w = s.weight ?? 1;
    sum += w * s.score;
    total += w;
  }
  return total > 0 ? { score: sum / total, pass: o.pass } : undefined;
}

interface Acc {
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

export function compareMetrics(inputs: Iterable<MetricInput>): MetricComparison[] {
  const accs = new Map<string, Acc>();
  const get = (name: string, i: MetricInput): Acc => {
    const key = `${i.dataset}\u0000${i.variant}\u0000${name}`;
    let a = accs.get(key);
    if (!a) accs.set(key, (a = { name, variant: i.variant, dataset: i.dataset, diffs: [], candSum: 0, candCases: 0, baseSum: 0, baseCases: 0, candPass: 0, candN: 0, basePass: 0, baseN: 0, binary: true, worse: 0, better: 0 }));
    return a;
  };
  for (const i of inputs) {
    if (i.cand.length === 0) continue;
    const names = new Set(i.cand.flatMap((o) => scored(o.scores).map((s) => s.name)));
    addPair(get(PASS_METRIC, i), i.cand.map((o) => ({ score: o.pass ? 1 : 0, pass: o.pass })), i.base.map((o) => ({ score: o.pass ? 1 : 0, pass: o.pass })));
    const pickWeighted = (obs: readonly Obs[]) => obs.map(weightedScore).filter((x): x is { score: number; pass: boolean } => x !== undefined);
    const weighted = pickWeighted(i.cand);
    if (weighted.length > 0) addPair(get(WEIGHTED_METRIC, i), weighted, pickWeighted(i.base));
    for (const name of names) {
      const pick = (obs: readonly Obs[]) => obs.flatMap((o) => scored(o.scores).filter((s) => s.name === name));
      addPair(get(name, i), pick(i.cand), pick(i.base));
    }
  }
  const list = [...accs.values()];
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

function addPair(a: Acc, cand: ReadonlyArray<{ score: number; pass: boolean }>, base: ReadonlyArray<{ score: number; pass: boolean }>): void {
  if (cand.length === 0) return;
  const cm = mean(cand.map((s) => s.score));
  a.candSum += cm;
  a.candCases++;
  a.candPass += cand.filter((s) => s.pass).length;
  a.candN += cand.length;
  if (base.length === 0) return;
  const bm = mean(base.map((s) => s.score));
  a.baseSum += bm;
  a.baseCases++;
  a.basePass += base.filter((s) => s.pass).length;
  a.baseN += base.length;
  a.diffs.push(cm - bm);
  const binary = cand.length === 1 && base.length === 1 && (cm === 0 || cm === 1) && (bm === 0 || bm === 1);
  if (!binary) a.binary = false;
  if (cm < bm) a.worse++;
  else if (cm > bm) a.better++;
}

function finish(a: Acc): MetricComparison {
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
