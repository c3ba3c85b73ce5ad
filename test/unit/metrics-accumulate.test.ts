/**
 * accumulateMetrics (src/compare/metrics.ts) against a plain oracle: the per-case lists it no
 * longer builds (every run's pass as 1/0, every run's weighted mean, every value of each named
 * evaluator), their means and counts. Seeded random cases with repeats, several evaluators,
 * weights, unscored and not-applicable values, missing baselines and two datasets × variants.
 */
import { describe, expect, it } from 'vitest';
import type { Obs } from '../../src/compare/observations.js';
import { accumulateMetrics, PASS_METRIC, WEIGHTED_METRIC, type MetricAcc, type MetricInput } from '../../src/compare/metrics.js';
import type { Score } from '../../src/evaluators/evaluator.js';
import { seededRandom } from '../../src/prng.js';

type Val = { score: number; pass: boolean };

/** The accumulation as it was written first: lists per case and metric. */
function oracle(inputs: readonly MetricInput[]): MetricAcc[] {
  const accs = new Map<string, MetricAcc>();
  const get = (name: string, i: MetricInput): MetricAcc => {
    const key = `${i.dataset}\u0000${i.variant}\u0000${name}`;
    let a = accs.get(key);
    if (!a) accs.set(key, (a = { name, variant: i.variant, dataset: i.dataset, diffs: [], candSum: 0, candCases: 0, baseSum: 0, baseCases: 0, candPass: 0, candN: 0, basePass: 0, baseN: 0, binary: true, worse: 0, better: 0 }));
    return a;
  };
  const scored = (o: Obs) => o.scores.filter((s) => s.state === undefined);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const weighted = (o: Obs): Val | undefined => {
    const ss = scored(o);
    if (!ss.some((s) => s.weight !== undefined)) return undefined;
    let sum = 0;
    let total = 0;
    for (const s of ss) {
      sum += (s.weight ?? 1) * s.score;
      total += s.weight ?? 1;
    }
    return total > 0 ? { score: sum / total, pass: o.pass } : undefined;
  };
  const add = (a: MetricAcc, cand: Val[], base: Val[]) => {
    if (cand.length === 0) return;
    const cm = mean(cand.map((v) => v.score));
    a.candSum += cm;
    a.candCases++;
    a.candPass += cand.filter((v) => v.pass).length;
    a.candN += cand.length;
    if (base.length === 0) return;
    const bm = mean(base.map((v) => v.score));
    a.baseSum += bm;
    a.baseCases++;
    a.basePass += base.filter((v) => v.pass).length;
    a.baseN += base.length;
    a.diffs.push(cm - bm);
    if (!(cand.length === 1 && base.length === 1 && (cm === 0 || cm === 1) && (bm === 0 || bm === 1))) a.binary = false;
    if (cm < bm) a.worse++;
    else if (cm > bm) a.better++;
  };
  for (const i of inputs) {
    if (i.cand.length === 0) continue;
    const passes = (obs: readonly Obs[]) => obs.map((o) => ({ score: o.pass ? 1 : 0, pass: o.pass }));
    add(get(PASS_METRIC, i), passes(i.cand), passes(i.base));
    const w = (obs: readonly Obs[]) => obs.map(weighted).filter((v): v is Val => v !== undefined);
    if (w(i.cand).length > 0) add(get(WEIGHTED_METRIC, i), w(i.cand), w(i.base));
    for (const name of new Set(i.cand.flatMap((o) => scored(o).map((s) => s.name)))) {
      const pick = (obs: readonly Obs[]) => obs.flatMap((o) => scored(o).filter((s) => s.name === name));
      add(get(name, i), pick(i.cand), pick(i.base));
    }
  }
  return [...accs.values()];
}

function randomInputs(seed: number, cases: number): MetricInput[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const weighted = rand() < 0.5;
  const obs = (): Obs => {
    const scores: Score[] = [];
    for (const name of ['contains', 'judge', 'regex']) {
      if (rand() < 0.25) continue;
      const score = pick([0, 1, 0.5, rand()]);
      const s: Score = { name, score, pass: score >= 0.5, reason: '' };
      const state = rand();
      if (state < 0.08) s.state = 'unscored';
      else if (state < 0.12) s.state = 'not_applicable';
      if (weighted && rand() < 0.6) s.weight = pick([0, 1, 2, 0.5]);
      scores.push(s);
    }
    return { kind: 'evaluated', pass: rand() < 0.7, scores: rand() < 0.5 ? scores.reverse() : scores, confirm: false };
  };
  return Array.from({ length: cases }, () => ({
    dataset: pick(['a', 'b']),
    variant: pick(['v1', 'v2']),
    cand: Array.from({ length: pick([0, 1, 1, 1, 2, 3]) }, obs),
    base: Array.from({ length: pick([0, 1, 1, 1, 2]) }, obs),
  }));
}

describe('accumulateMetrics', () => {
  it('matches the list-per-case oracle exactly on 300 seeded suites', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const inputs = randomInputs(seed, 1 + (seed % 40));
      expect(accumulateMetrics(inputs), `seed ${seed}`).toEqual(oracle(inputs));
    }
  });
});
