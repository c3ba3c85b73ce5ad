import { describe, expect, it } from 'vitest';
import { compareResults, findFlips, flipCandidates } from '../../src/compare/compare.js';
import { confirmState, planConfirmation } from '../../src/compare/confirm.js';
import { exitCodeFor } from '../../src/compare/gate.js';
import { groupKey, toObs } from '../../src/compare/observations.js';
import { seededRandom } from '../../src/prng.js';
import { binomialCdf, bootstrapMeanCi, fisherLess, holmAdjust, mcnemarExact, mcnemarLess, percentile, signFlipLess } from '../../src/compare/stats.js';
import { DEFAULT_GATE, type GateConfig } from '../../src/config/schema.js';
import type { CaseResult } from '../../src/runner/result.js';

const gate: GateConfig = DEFAULT_GATE;
const s = (p: boolean, name = 'contains') => [{ name, score: p ? 1 : 0, pass: p, reason: '' }];

/** A candidate run; `recorded` is production's recorded output scored (repeat 0 only). */
function cand(caseId: string, pass: boolean, extra: Partial<CaseResult> & { recordedPass?: boolean } = {}): CaseResult {
  const { recordedPass, ...rest } = extra;
  return {
    caseId, variant: 'candidate', repeat: 0, dataset: 'd', output: 'x', latencyMs: 100, scores: s(pass), pass, startedAt: '',
    ...(recordedPass === undefined ? {} : { recorded: { scores: s(recordedPass), pass: recordedPass, output: 'y' } }),
    ...rest,
  };
}

/** A run of the sampled baseline (production replayed). */
function base(caseId: string, pass: boolean, repeat = 0, extra: Partial<CaseResult> = {}): CaseResult {
  return { caseId, variant: 'production', role: 'baseline', repeat, dataset: 'd', output: 'b', latencyMs: 100, scores: s(pass), pass, startedAt: '', ...extra };
}

const verdicts = (rs: CaseResult[], g: GateConfig = gate, extra = {}) =>
  Object.fromEntries(compareResults(rs, { gate: g, ...extra }).cases.map((c) => [c.caseId, c.verdict]));

describe('per-case verdicts', () => {
  it('a first-pass flip without re-runs is unconfirmed, never regressed, and the gate is inconclusive (exit 1)', () => {
    const cmp = compareResults([cand('a', false, { recordedPass: true }), base('a', true)], { gate });
    expect(cmp.cases[0]).toMatchObject({ verdict: 'unconfirmed', candidatePassRate: 0, baselinePassRate: 1 });
    expect(cmp.gate.status).toBe('inconclusive');
    expect(exitCodeFor(cmp.gate, gate)).toBe(1);
    expect(exitCodeFor(cmp.gate, { allowInconclusive: true })).toBe(0);
  });

  it('confirmation runs decide: a stable drop regresses, a noisy one is flaky', () => {
    const plan = planConfirmation(2, { alpha: 0.025, maxRuns: 12, slack: 1 }, true);
    const rs: CaseResult[] = [cand('stable', false, { recordedPass: true }), base('stable', true), cand('noisy', false, { recordedPass: true }), base('noisy', true)];
    for (let i = 0; i < plan.runs; i++) {
      rs.push(cand('stable', false, { repeat: 1 + i, phase: 'confirm' }), base('stable', true, 1 + i, { phase: 'confirm' }));
    }
    rs.push(cand('noisy', true, { repeat: 1, phase: 'confirm' }), base('noisy', false, 1, { phase: 'confirm' }));
    const cmp = compareResults(rs, { gate });
    const byId = Object.fromEntries(cmp.cases.map((c) => [c.caseId, c]));
    expect(byId.stable).toMatchObject({ verdict: 'regressed', confirmation: { candPass: 0, candRuns: plan.runs, basePass: plan.runs, baseRuns: plan.runs } });
    expect(byId.stable!.evidence).toMatch(/^confirmed: candidate passed 0\/\d+ re-runs, baseline \d+\/\d+ re-runs \(p = /);
    expect(byId.noisy).toMatchObject({ verdict: 'flaky' });
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons[0]).toContain('1 case(s) regressed');
  });

  it('findFlips asks for more runs exactly while the decision is open', () => {
    const rs = [cand('a', false, { recordedPass: true }), base('a', true)];
    const [flip] = findFlips(rs, { gate });
    expect(flip).toMatchObject({ caseId: 'a', sampled: true, state: 'more' });
    expect(findFlips([cand('a', true, { recordedPass: true }), base('a', true)], { gate })).toEqual([]);
  });

  it('findFlips over the flip candidates alone gives exactly the flips of the whole run (seeded random runs)', () => {
    const rand = seededRandom(21);
    let withFlips = 0;
    for (let trial = 0; trial < 40; trial++) {
      const rs: CaseResult[] = [];
      const incidents = new Map<string, string>();
      for (let i = 0; i < 60; i++) {
        const id = `c${i}`;
        const p = rand();
        for (let r = 0; r < 1 + Math.floor(rand() * 3); r++) {
          for (const variant of ['candidate', 'other']) {
            const roll = rand();
            const error = roll < 0.05 ? { error: { type: 'server', message: 'HTTP 500', source: 'provider' as const } } : {};
            rs.push(cand(id, roll >= 0.05 && rand() < p, { variant, repeat: r, ...(r === 0 && rand() < 0.8 ? { recordedPass: rand() < 0.9 } : {}), ...error, ...(rand() < 0.1 ? { phase: 'confirm' as const } : {}) }));
          }
          if (rand() < 0.6) rs.push(base(id, rand() < 0.9, r, rand() < 0.1 ? { phase: 'confirm' } : {}));
        }
        if (rand() < 0.05) incidents.set(`d\u0000${id}`, `INC-${i}`);
      }
      const opts = { gate, incidents };
      const all = findFlips(rs, opts);
      if (all.length > 0) withFlips++;
      const { cases, groups } = flipCandidates(rs);
      expect(groups).toBe(120);
      expect(cases.size).toBeLessThan(60);
      expect(cases.size).toBe(new Set(rs.filter((r) => r.role !== 'baseline' && !r.pass).map((r) => r.caseId)).size);
      expect(findFlips(rs.filter((r) => cases.has(r.dataset, r.caseId)), opts, groups)).toEqual(all);
      // The group count matters: without it the first-pass level is not the whole run's.
      if (all.length > 0 && cases.size < 60) expect(findFlips(rs.filter((r) => cases.has(r.dataset, r.caseId)), opts)).not.toEqual(all);
    }
    expect(withFlips).toBeGreaterThan(30);
  });

  it('labels fixed, unchanged, new, errored, unscored and skipped', () => {
    const v = verdicts([
      cand('fixed', true, { recordedPass: false }), base('fixed', false),
      cand('same', true, { recordedPass: true }), base('same', true),
      cand('bad', false, { recordedPass: false }), base('bad', false),
      cand('new', true),
      cand('err', false, { error: { type: 'server', message: 'HTTP 500', source: 'provider' } }), base('err', true),
      cand('unsc', false, { scores: [{ name: 'judge', score: 0, pass: false, reason: 'unscored: timed out', state: 'unscored' }] }), base('unsc', true),
      cand('skip', false, { error: { type: 'not_replayable', message: 'nothing to replay' } }),
    ]);
    expect(v).toEqual({ fixed: 'fixed', same: 'unchanged-pass', bad: 'unchanged-fail', new: 'new', err: 'errored', unsc: 'unscored', skip: 'skipped' });
  });

  it("a candidate pipeline that throws is a failing run, not an error that leaves the statistics", () => {
    const rs = [cand('a', false, { recordedPass: true, error: { type: 'TypeError', message: 'boom', source: 'pipeline' } }), base('a', true)];
    const cmp = compareResults(rs, { gate });
    expect(cmp.cases[0]!.verdict).toBe('unconfirmed');
    expect(cmp.variants.find((v) => v.variant === 'candidate')).toMatchObject({ failed: 1, errored: 0 });
  });

  it('keys cases by dataset: the same case id in two datasets is two cases', () => {
    const rs = [cand('a', true, { dataset: 'one', recordedPass: true }), cand('a', false, { dataset: 'two', recordedPass: false })];
    const cmp = compareResults(rs, { gate });
    expect(cmp.cases.map((c) => [c.dataset, c.verdict])).toEqual([['one', 'unchanged-pass'], ['two', 'unchanged-fail']]);
  });

  it('never counts a recorded answer that could not be recovered: no false "fixed"', () => {
    const rs = [cand('a', true, { recorded: { scores: s(false), pass: false, output: null, answerMissing: true } })];
    expect(compareResults(rs, { gate }).cases[0]!.verdict).toBe('new');
  });

  it('ignores not-applicable scores (self-grading) in every statistic', () => {
    const naRecorded = { recorded: { scores: [{ name: 'similarity', score: 0, pass: false, reason: 'n/a', state: 'not_applicable' as const }], pass: true, output: 'y' } };
    // The recorded answer graded against itself is no observation: the replayed baseline decides.
    const cmp = compareResults([cand('a', true, naRecorded), base('a', false)], { gate });
    expect(cmp.cases[0]).toMatchObject({ verdict: 'fixed', runs: { candidate: 1, baseline: 1 }, changes: ['contains: fail → pass'] });
    expect(compareResults([cand('a', true, naRecorded)], { gate }).cases[0]!.verdict).toBe('new');
  });
});

describe('incidents are absolute', () => {
  const incidents = new Map([['inc', 'INC-42']]);

  it('fails when the incident still reproduces, even if production failed it too', () => {
    const rs = [cand('inc', false, { recordedPass: false }), base('inc', false)];
    const cmp = compareResults(rs, { gate, incidents });
    expect(cmp.cases[0]).toMatchObject({ verdict: 'unchanged-fail', incident: 'INC-42', incidentHolds: false });
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons[0]).toMatch(/^incident INC-42: candidate met its expectations in 0\/1 run\(s\)/);
  });

  it('a flaky incident fails unless it passes at the configured rate', () => {
    const rs = [cand('inc', true, { recordedPass: false }), cand('inc', false, { repeat: 1 }), base('inc', false)];
    expect(compareResults(rs, { gate, incidents }).gate.status).toBe('fail');
    expect(compareResults(rs, { gate: { ...gate, incidentMinPassRate: 0.5 }, incidents }).gate.status).toBe('pass');
  });

  it('passes when the expectations hold', () => {
    const cmp = compareResults([cand('inc', true, { recordedPass: false }), base('inc', false)], { gate, incidents });
    expect(cmp.gate.status).toBe('pass');
    expect(cmp.gate.reasons[0]).toContain('1 incident expectation(s) hold');
  });
});

describe('nothing unchecked is green', () => {
  it('a run where nothing was evaluated fails with exit 3', () => {
    for (const rs of [
      [cand('a', false, { error: { type: 'not_replayable', message: 'x' } })],
      [cand('a', false, { error: { type: 'timeout', message: 'x', source: 'provider' } })],
      [cand('a', false, { scores: [{ name: 'e', score: 0, pass: false, reason: '', state: 'unscored' }] })],
      [],
    ] as CaseResult[][]) {
      const cmp = compareResults(rs, { gate });
      expect(cmp.gate).toMatchObject({ status: 'fail', nothingEvaluated: true });
      expect(exitCodeFor(cmp.gate, gate)).toBe(3);
    }
  });

  it('provider errors beyond 5% of runs fail; below, they are reported', () => {
    const ok = Array.from({ length: 40 }, (_, i) => [cand(`c${i}`, true, { recordedPass: true }), base(`c${i}`, true)]).flat();
    const err = (i: number) => cand(`e${i}`, false, { error: { type: 'server', message: '500', source: 'provider' } });
    const few = compareResults([...ok, err(0)], { gate });
    expect(few.gate.status).toBe('pass');
    expect(few.gate.reasons.some((r) => r.includes('within the 5% tolerance'))).toBe(true);
    const many = compareResults([...ok, ...[0, 1, 2, 3, 4, 5].map(err)], { gate });
    expect(many.gate.status).toBe('fail');
    expect(many.gate.reasons[0]).toMatch(/6 of 46 candidate run\(s\) \(13%\) got no output .* above the 5% tolerance/);
  });

  it('an unscored evaluator fails the gate by default and is never a 0 score', () => {
    const rs = [cand('a', true, { recordedPass: true }), base('a', true), cand('b', false, { scores: [{ name: 'judge', score: 0, pass: false, reason: 'unscored', state: 'unscored' }] }), base('b', true)];
    const cmp = compareResults(rs, { gate });
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons[0]).toContain('1 run(s) unscored: evaluator judge');
    expect(compareResults(rs, { gate: { ...gate, failOnUnscored: false } }).gate.status).toBe('pass');
  });

  it('a case entry: score delta over scored values only, unscored evaluators named once each in order, runs counted', () => {
    const sc = (name: string, score: number, state?: 'unscored' | 'not_applicable') => ({ name, score, pass: score >= 0.5, reason: '', ...(state ? { state } : {}) });
    const rs = [
      cand('a', true, { scores: [sc('contains', 1), sc('ref', 0, 'not_applicable'), sc('len', 0.5)] }),
      cand('a', true, { repeat: 1, scores: [sc('contains', 0.75)] }),
      // Unscored runs: not in the delta, their evaluators named.
      cand('a', false, { repeat: 2, scores: [sc('judge', 0, 'unscored'), sc('tone', 0, 'unscored'), sc('contains', 0)] }),
      cand('a', false, { repeat: 3, scores: [sc('tone', 0, 'unscored'), sc('judge', 0, 'unscored')] }),
      base('a', true, 0, { scores: [sc('contains', 0.25), sc('judge', 0.2, 'not_applicable'), sc('len', 0.25)] }),
      base('a', true, 1, { scores: [sc('contains', 0.5)] }),
    ];
    const [entry] = compareResults(rs, { gate }).cases;
    // Candidate: (1 + 0.5 + 0.75) / 3; baseline: (0.25 + 0.25 + 0.5) / 3.
    expect(entry!.scoreDelta).toBe(Math.round((2.25 / 3 - 1 / 3) * 10000) / 10000);
    expect(entry!.unscored).toEqual(['judge', 'tone']);
    expect(entry!.runs).toEqual({ candidate: 2, baseline: 2 });
  });

  it('cases of a baseline run that were not run here are missing and fail', () => {
    const entries = new Map([
      [groupKey('d', 'a', 'candidate'), [toObs(cand('a', true))]],
      [groupKey('d', 'gone', 'candidate'), [toObs(cand('gone', true))]],
    ]);
    const cmp = compareResults([cand('a', true)], { gate, baselineRun: { label: 'main', entries } });
    expect(cmp.baseline).toEqual({ kind: 'run', label: 'main' });
    expect(cmp.cases.map((c) => [c.caseId, c.verdict])).toEqual([['a', 'unchanged-pass'], ['gone', 'missing']]);
    expect(cmp.gate.status).toBe('fail');
  });
});

describe('aggregate metrics', () => {
  it('fails a significant drop beyond the tolerance (clustered over repeats, Holm-adjusted)', () => {
    const rs = Array.from({ length: 40 }, (_, i) => [cand(`c${i}`, i % 4 !== 0, { recordedPass: true }), base(`c${i}`, true)]).flat();
    const cmp = compareResults(rs, { gate: { ...gate, maxRegressions: 100, confirm: { ...gate.confirm, enabled: false } } });
    const m = cmp.metrics.find((x) => x.name === 'pass')!;
    expect(m).toMatchObject({ n: 40, test: 'mcnemar', delta: -0.25 });
    expect(m.pAdjusted).toBeLessThan(0.01);
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons.some((r) => /^pass \(candidate, d\) dropped from 1\.000 to 0\.750 over 40 cases/.test(r))).toBe(true);
  });

  it('says "too few cases" below gate.minCases and runs no aggregate test', () => {
    const rs = [cand('a', true, { recordedPass: true }), base('a', true)];
    expect(compareResults(rs, { gate }).gate.reasons).toContain('too few cases (1 < gate.minCases 10) for aggregate metric tests: per-case verdicts only');
  });

  it('repeats are clustered per case: ten repeats of one case are one pair', () => {
    const rs = Array.from({ length: 10 }, (_, r) => [cand('a', r % 2 === 0, { repeat: r }), base('a', true, r)]).flat();
    expect(compareResults(rs, { gate }).metrics.find((m) => m.name === 'pass')).toMatchObject({ n: 1, test: 'sign-flip' });
  });
});

describe('weighted metric', () => {
  it('appears when an evaluator sets a weight: per run, the weighted mean of its scored evaluators', () => {
    const scores = (a: number, b: number) => [
      { name: 'accuracy', score: a, pass: a === 1, reason: '', weight: 3 },
      { name: 'tone', score: b, pass: b === 1, reason: '' },
    ];
    const rs = [cand('a', true, { scores: scores(1, 0), recordedPass: true }), base('a', true, 0, { scores: scores(1, 1) })];
    const m = compareResults(rs, { gate }).metrics.find((x) => x.name === 'weighted')!;
    expect(m).toMatchObject({ candidateMean: 0.75, baselineMean: 1, delta: -0.25, n: 1 });
    expect(compareResults([cand('a', true, { recordedPass: true })], { gate }).metrics.some((x) => x.name === 'weighted')).toBe(false);
  });
});

describe('stats', () => {
  it('Fisher one-sided', () => {
    expect(fisherLess(0, 5, 5, 5)).toBeCloseTo(1 / 252, 8);
    expect(fisherLess(5, 5, 0, 5)).toBeCloseTo(1, 9);
    expect(fisherLess(0, 0, 1, 1)).toBe(1);
  });

  it('binomial, McNemar and sign-flip p-values', () => {
    expect(binomialCdf(0, 3, 0.5)).toBeCloseTo(0.125, 9);
    expect(mcnemarLess(5, 0)).toBeCloseTo(1 / 32, 9);
    expect(mcnemarLess(0, 5)).toBe(1);
    expect(mcnemarExact(5, 0)).toBeCloseTo(0.0625, 6);
    expect(signFlipLess([-1, -1, -1, -1])).toBeCloseTo(1 / 16, 9);
    expect(signFlipLess([1, 1])).toBe(1);
  });

  it('Holm step-down', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
  });

  it('confirmation plan: Bonferroni over flips, curtailed both ways', () => {
    const plan = planConfirmation(10, { alpha: 0.025, maxRuns: 12, slack: 1 }, true);
    expect(plan.alphaCase).toBeCloseTo(0.0025, 9);
    expect(fisherLess(0, plan.runs - 1, plan.runs - 1, plan.runs - 1)).toBeLessThanOrEqual(plan.alphaCase);
    expect(confirmState({ candPass: 1, candRuns: 1, basePass: 0, baseRuns: 1 }, plan, true)).toBe('not-regressed');
    expect(confirmState({ candPass: 0, candRuns: 1, basePass: 1, baseRuns: 1 }, plan, true)).toBe('more');
    expect(confirmState({ candPass: 0, candRuns: plan.runs, basePass: plan.runs, baseRuns: plan.runs }, plan, true)).toBe('regressed');
    expect(planConfirmation(1, { alpha: 0.025, maxRuns: 3, slack: 1 }, true).underpowered).toBe(true);
  });

  it('bootstrap interval contains the mean and is deterministic', () => {
    const d = [0.1, 0.2, 0.3, -0.1, 0.05, 0.15];
    const ci = bootstrapMeanCi(d)!;
    expect(ci[0]).toBeLessThan(0.1166);
    expect(ci[1]).toBeGreaterThan(0.1166);
    expect(bootstrapMeanCi(d)).toEqual(ci);
    expect(bootstrapMeanCi([1])).toBeUndefined();
  });

  it('bootstrap interval of mostly-zero differences (drawn sparsely) matches the normal-theory interval, as the dense draw does', () => {
    const rand = seededRandom(5);
    // q non-zero: 0.09 and 0.02 take the sparse path, 0.4 the dense one.
    for (const q of [0.09, 0.02, 0.4]) {
      const n = 4000;
      const d = Array.from({ length: n }, () => (rand() < q ? [1, 0.5, -0.25][Math.floor(rand() * 3)]! : 0));
      const mu = d.reduce((s, x) => s + x, 0) / n;
      const sd = Math.sqrt(d.reduce((s, x) => s + (x - mu) ** 2, 0) / n / n);
      const [lo, hi] = bootstrapMeanCi(d, 0.95, 4000)!;
      const width = 2 * 1.96 * sd;
      expect(Math.abs(lo - (mu - 1.96 * sd))).toBeLessThan(0.1 * width);
      expect(Math.abs(hi - (mu + 1.96 * sd))).toBeLessThan(0.1 * width);
      expect(bootstrapMeanCi(d, 0.95, 4000)).toEqual([lo, hi]);
    }
    expect(bootstrapMeanCi(new Array(500).fill(0))).toEqual([0, 0]);
  });

  it('percentile by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
