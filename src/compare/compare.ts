/**
 * Compares candidate results with a baseline, case by case and metric by metric. Pure: takes
 * result lines (in any order) and returns a `Comparison`.
 *
 * The baseline is, in order of preference:
 * - `run`: another run's results for the matching variant (`--baseline <run>`), fixed;
 * - `replay`: the run's own baseline variant (production's prompt and model replayed, result
 *   lines with `role: baseline`), sampled like the candidate and re-sampled to confirm flips;
 * - `recorded`: only the recorded production output (module/http pipelines without a
 *   baseline variant), fixed.
 * The recorded output always counts as one baseline observation when screening for flips and
 * is shown as the reference; it never decides a verdict alone (see confirm.ts).
 */
import { DEFAULT_GATE, type GateConfig } from '../config/schema.js';

/** `collect` reads no gate setting; any config will do. */
const DEFAULT_GATE_FOR_COLLECT = DEFAULT_GATE;
import type { CaseResult } from '../runner/result.js';
import { confirmPValue, confirmState, planConfirmation, type ConfirmCounts, type ConfirmPlan } from './confirm.js';
import { decideGate } from './gate.js';
import { compareMetrics, type MetricInput } from './metrics.js';
import { ByCaseId, caseKey, CaseVariantMap, evaluated, groupKey, ObsInterner, passRate, scored, toObs, type Group, type Obs } from './observations.js';
import { percentile } from './stats.js';
import type { CaseComparison, CaseVerdict, Comparison, ConfirmationSummary, VariantSummary } from './types.js';

export { isNotStarted, runKind } from './observations.js';

export interface CompareOptions {
  gate: GateConfig;
  /** Incident id per case, keyed `caseKey(dataset, caseId)` or by case id alone. */
  incidents?: ReadonlyMap<string, string>;
  /** The run sampled its baseline (a `role: baseline` variant), even if no case needed it. */
  sampledBaseline?: boolean;
  /** Another run as the baseline: its runs keyed `groupKey(dataset, caseId, candidateVariant)`. */
  baselineRun?: { label: string; entries: ReadonlyMap<string, Obs[]> };
}

/** One flip under confirmation, as the runner sees it. */
export interface Flip {
  dataset: string;
  caseId: string;
  variant: string;
  /** Baseline re-sampled (replay) or fixed (recorded output, another run). */
  sampled: boolean;
  plan: ConfirmPlan;
  counts: ConfirmCounts;
  state: 'more' | 'regressed' | 'not-regressed';
  /** Without re-runs: the first pass's own test (sampled baseline with repeats) and its level. */
  firstPassP?: number;
  firstPassAlpha: number;
}

interface Analysed {
  group: Group;
  base: Obs[];
  sampled: boolean;
  cand1: readonly Obs[];
  /** First-pass baseline runs plus the recorded observation: what screening compares with. */
  baseScreen: readonly Obs[];
  flip: boolean;
  /** The recorded output is one of `baseScreen`. */
  recordedCounted: boolean;
}

interface Collected {
  /** Shared Obs and single-run lists (read-only). */
  obs: ObsInterner;
  groups: CaseVariantMap<Group>;
  pool: Map<string, Obs[]>;
  variants: Map<string, VariantAcc>;
  kind: Comparison['baseline']['kind'];
}

function collect(results: Iterable<CaseResult>, opts: CompareOptions): Collected {
  const groups = new CaseVariantMap<Group>();
  const pool = new Map<string, Obs[]>();
  const variants = new Map<string, VariantAcc>();
  const obs = new ObsInterner();
  for (const r of results) {
    accumulateVariant(variants, r);
    const o = obs.ofResult(r);
    if (r.role === 'baseline') {
      const key = caseKey(r.dataset, r.caseId);
      const list = pool.get(key);
      if (list) list.push(o);
      else pool.set(key, [o]);
      continue;
    }
    const g = groups.get(r.dataset, r.caseId, r.variant);
    if (!g) {
      // One literal per group, its first run's list exactly that run (an empty list grown by
      // push reserves 16 slots; a field added later goes to a property array of its own).
      const recorded = recordedOf(r);
      groups.add(r.dataset, r.caseId, r.variant, recorded ? { dataset: r.dataset, caseId: r.caseId, variant: r.variant, cand: [o], recorded } : { dataset: r.dataset, caseId: r.caseId, variant: r.variant, cand: [o] });
      continue;
    }
    g.cand.push(o);
    if (!g.recorded && r.recorded) g.recorded = recordedOf(r);
  }
  const kind = opts.baselineRun ? 'run' : pool.size > 0 || opts.sampledBaseline ? 'replay' : 'recorded';
  return { obs, groups, pool, variants, kind };
}

/** What a group keeps of a result's recorded part: a slim result's as it is (it holds no output), else a copy without the output. */
function recordedOf(r: CaseResult): Group['recorded'] {
  const rec = r.recorded;
  if (!rec) return undefined;
  return rec.output === null ? rec : { pass: rec.pass, scores: rec.scores, ...(rec.answerMissing ? { answerMissing: true } : {}) };
}

function analyse(c: Collected, opts: CompareOptions): Analysed[] {
  return [...c.groups.values()].map((group) => analyseGroup(group, c, opts));
}

function analyseGroup(group: Group, c: Collected, opts: CompareOptions): Analysed {
  const base = c.kind === 'run' ? (opts.baselineRun!.entries.get(groupKey(group.dataset, group.caseId, group.variant)) ?? []) : (c.pool.get(caseKey(group.dataset, group.caseId)) ?? []);
  // A baseline that never produced an evaluated run (production's call cannot be replayed, or
  // always errors) is not re-sampled: the recorded answer is the fixed baseline instead.
  const sampled = c.kind === 'replay' && base.some((o) => o.kind === 'evaluated');
  const cand1 = evaluated(group.cand, false);
  const baseFirst = c.kind === 'run' ? base.filter((o) => o.kind === 'evaluated') : evaluated(base, false);
  const rec = recordedObs(group, c.obs);
  const recordedCounted = c.kind !== 'run' && rec !== undefined;
  const baseScreen = !recordedCounted ? baseFirst : baseFirst.length === 0 ? c.obs.single(rec!) : [...baseFirst, rec!];
  const flip = cand1.length > 0 && baseScreen.length > 0 && passRate(cand1) < passRate(baseScreen);
  return { group, base, sampled, cand1, baseScreen, flip, recordedCounted };
}

/**
 * The recorded output as one baseline observation, when its answer was recovered and every
 * evaluator could judge it (a reference-based evaluator is not applicable to it when the
 * reference is that very answer: then it is not comparable like for like, and is left out).
 */
function recordedObs(g: Group, obs?: ObsInterner): Obs | undefined {
  const r = g.recorded;
  if (!r || r.answerMissing || r.scores.some((s) => s.state !== undefined)) return undefined;
  return obs ? obs.of('evaluated', r.pass, r.scores, false) : { kind: 'evaluated', pass: r.pass, scores: r.scores, confirm: false };
}

function flipOf(a: Analysed, flips: number, groups: number, gate: GateConfig): Flip {
  const settings = { alpha: gate.alpha / 2, maxRuns: gate.confirm.maxRuns, slack: gate.confirm.slack };
  const candConfirm = evaluated(a.group.cand, true);
  const fixed = a.baseScreen;
  const fixedBase = { pass: fixed.filter((o) => o.pass).length, runs: fixed.length };
  const plan = planConfirmation(flips, settings, a.sampled, fixedBase);
  const baseConfirm = a.sampled ? evaluated(a.base, true) : fixed;
  const counts: ConfirmCounts = {
    candPass: candConfirm.filter((o) => o.pass).length,
    candRuns: candConfirm.length,
    basePass: baseConfirm.filter((o) => o.pass).length,
    baseRuns: baseConfirm.length,
  };
  const flip: Flip = { dataset: a.group.dataset, caseId: a.group.caseId, variant: a.group.variant, sampled: a.sampled, plan, counts, state: confirmState(counts, plan, a.sampled), firstPassAlpha: settings.alpha / Math.max(1, groups) };
  if (a.sampled && counts.candRuns === 0) {
    const base1 = evaluated(a.base, false);
    flip.firstPassP = confirmPValue({ candPass: a.cand1.filter((o) => o.pass).length, candRuns: a.cand1.length, basePass: base1.filter((o) => o.pass).length, baseRuns: base1.length }, true);
  }
  return flip;
}

/**
 * The flips of a first pass and where each stands: the runner re-runs those in state `more`.
 * Same screening and plan as `compareResults`, so both agree on every verdict.
 */
export function findFlips(results: Iterable<CaseResult>, opts: CompareOptions, groups?: number): Flip[] {
  const all = analyse(collect(results, opts), opts);
  const flips = all.filter((a) => a.flip && !isIncident(a, opts));
  return flips.map((a) => flipOf(a, flips.length, groups ?? all.length, opts.gate));
}

/** Cases by dataset and id, without a key string per case. */
export interface CaseSet {
  readonly size: number;
  has(dataset: string, caseId: string): boolean;
}

/**
 * What {@link findFlips} needs to see of a run: the cases where some candidate run did not
 * pass (only there can the candidate pass less often than its baseline), and the number of
 * case × variant groups of the whole run (the first-pass test is corrected for all of them).
 * `findFlips(results of those cases, opts, groups)` returns exactly the flips of
 * `findFlips(results, opts)` without building the comparison state of every passing case.
 */
export function flipCandidates(results: Iterable<CaseResult>): { cases: CaseSet; groups: number } {
  const failing = new ByCaseId<true>();
  const seen = new ByCaseId<true>();
  let cases = 0;
  let groups = 0;
  for (const r of results) {
    if (r.role === 'baseline') continue;
    const group = seen.part(r.dataset, r.variant, 0, true);
    if (!group.has(r.caseId)) {
      group.set(r.caseId, true);
      groups++;
    }
    if (r.pass) continue;
    const byCase = failing.part(r.dataset, '', 0, true);
    if (!byCase.has(r.caseId)) {
      byCase.set(r.caseId, true);
      cases++;
    }
  }
  return { cases: { size: cases, has: (dataset, caseId) => failing.part(dataset, '')?.has(caseId) === true }, groups };
}

/**
 * Cases (`caseKey`) whose baseline must be sampled after a first pass of the candidates only:
 * some candidate run did not pass (only there can a flip arise, and an incident needs its
 * evidence), or the recorded answer cannot serve as the baseline (not recovered, not
 * applicable, unscored). Cases already holding first-pass baseline runs are left out (resume).
 */
export function casesNeedingBaseline(results: Iterable<CaseResult>): Set<string> {
  const c = collect(results, { gate: DEFAULT_GATE_FOR_COLLECT });
  const need = new Set<string>();
  for (const g of c.groups.values()) {
    const key = caseKey(g.dataset, g.caseId);
    if (need.has(key) || (c.pool.get(key) ?? []).some((o) => !o.confirm)) continue;
    if (g.cand.some((o) => !(o.kind === 'evaluated' && o.pass)) || recordedObs(g) === undefined) need.add(key);
  }
  return need;
}

function incidentOf(a: Pick<Analysed, 'group'>, opts: CompareOptions): string | undefined {
  return opts.incidents?.get(caseKey(a.group.dataset, a.group.caseId)) ?? opts.incidents?.get(a.group.caseId);
}

/** Incident cases are judged absolutely (their expectations must hold), never by flips. */
function isIncident(a: Pick<Analysed, 'group'>, opts: CompareOptions): boolean {
  return incidentOf(a, opts) !== undefined;
}

/** What the aggregate tests read of each case × variant, made one group at a time by `analysed` (which may do more with it). */
function* metricInputs(c: Collected, analysed: (group: Group) => Analysed): Generator<MetricInput> {
  for (const group of c.groups.values()) {
    const a = analysed(group);
    yield { dataset: group.dataset, variant: group.variant, cand: a.cand1, base: a.sampled ? evaluated(a.base, false) : a.baseScreen };
  }
}

/** Builds the comparison; `results` may be any iterable (e.g. read line by line). */
export function compareResults(results: Iterable<CaseResult>, opts: CompareOptions): Comparison {
  const collected = collect(results, opts);
  // First pass: the flips (kept with their analysis) and how many groups there are, which every
  // flip's plan needs. The second pass analyses each group again, one at a time, into its case
  // entry and its metric input: no analysis of every group is held at once (≈8 MB at 100,000).
  const flipsList: Analysed[] = [];
  for (const group of collected.groups.values()) {
    const a = analyseGroup(group, collected, opts);
    if (a.flip && !isIncident(a, opts)) flipsList.push(a);
  }
  const flips = new Map(flipsList.map((a) => [a.group, { a, flip: flipOf(a, flipsList.length, collected.groups.size, opts.gate) }]));
  // Most cases share their evidence sentence ("candidate passed 1/1, baseline 1/1") and run
  // counts: one copy of each (read-only, like every comparison entry).
  const sentences = new Map<string, string>();
  const counts = new Map<string, CaseComparison['runs']>();
  const cases: CaseComparison[] = [];
  const caseOf = (a: Analysed, flip: Flip | undefined): CaseComparison => {
    const c = compareCase(a, flip, incidentOf(a, opts), opts.gate);
    const shared = sentences.get(c.evidence);
    if (shared !== undefined) c.evidence = shared;
    else sentences.set(c.evidence, c.evidence);
    const runsKey = `${c.runs.candidate}/${c.runs.baseline}`;
    const runs = counts.get(runsKey);
    if (runs !== undefined) c.runs = runs;
    else counts.set(runsKey, c.runs);
    return c;
  };
  // The metrics read the groups in the same order as before; each case entry is made as its group passes.
  const metrics = compareMetrics(metricInputs(collected, (group) => {
    const kept = flips.get(group);
    const a = kept?.a ?? analyseGroup(group, collected, opts);
    cases.push(caseOf(a, kept?.flip));
    return a;
  }));
  if (opts.baselineRun) cases.push(...missingCases(opts.baselineRun.entries, collected.groups));
  const summaries = [...collected.variants.values()].map((v) => finishVariant(v, cases));
  const confirmation = summariseConfirmation(cases, [...flips.values()].map((f) => f.flip));
  return {
    baseline: { kind: collected.kind, label: baselineLabel(collected.kind, opts) },
    cases,
    metrics,
    variants: summaries,
    confirmation,
    gate: decideGate({ cases, metrics, variants: summaries, confirmation }, opts.gate),
  };
}

function baselineLabel(kind: Comparison['baseline']['kind'], opts: CompareOptions): string {
  if (kind === 'run') return opts.baselineRun!.label;
  if (kind === 'replay') return "production's prompt and model, replayed where a case did not pass (plus the recorded output)";
  return 'production (recorded output only)';
}

function compareCase(a: Analysed, flip: Flip | undefined, incident: string | undefined, gate: GateConfig): CaseComparison {
  const { group, cand1, baseScreen } = a;
  // Counted and summed in loops: this runs once per case × variant (no arrays for the common case).
  const candEvaluated = countEvaluated(group.cand);
  const candRate = cand1.length ? passRate(cand1) : 0;
  const baseRate = baseScreen.length ? passRate(baseScreen) : null;
  const frac = (obs: readonly Obs[]): string => `${obs.filter((o) => o.pass).length}/${obs.length}`;
  let verdict: CaseVerdict;
  let evidence: string;
  const unscoredNames = unscoredOf(group.cand);
  if (cand1.length === 0) {
    const kinds = new Set(group.cand.map((o) => o.kind));
    verdict = kinds.has('unscored') ? 'unscored' : kinds.has('errored') ? 'errored' : 'skipped';
    evidence = verdict === 'unscored' ? `never scored: ${unscoredNames.join(', ')} errored or timed out` : verdict === 'errored' ? 'every run failed to get an answer from the model (provider errors after retries)' : 'never ran (nothing to replay, or the budget was reached)';
  } else if (baseRate === null) {
    verdict = 'new';
    evidence = `no baseline to compare with; candidate passed ${frac(cand1)}`;
  } else if (flip) {
    const c = flip.counts;
    const tail = `candidate passed ${c.candPass}/${c.candRuns} re-runs, baseline ${c.basePass}/${c.baseRuns}${flip.sampled ? ' re-runs' : ' (fixed)'}`;
    const p = confirmPValue(c, flip.sampled);
    if (flip.state === 'regressed') {
      verdict = 'regressed';
      evidence = `confirmed: ${tail} (p = ${fmtP(p)} ≤ ${fmtP(flip.plan.alphaCase)})`;
    } else if (flip.state === 'not-regressed') {
      verdict = 'flaky';
      evidence = `passed ${frac(cand1)} vs the baseline's ${frac(baseScreen)} at first; ${c.candRuns ? tail : 'no re-run could confirm it'}: noise, not a regression`;
    } else if (flip.firstPassP !== undefined && flip.firstPassP <= flip.firstPassAlpha) {
      // No re-runs (confirmation off, `evals compare`), but enough repeats on both sides: the
      // first pass alone decides, at α over every case of the run (it also chose the flip).
      verdict = 'regressed';
      evidence = `confirmed by repeats: candidate passed ${frac(cand1)}, baseline ${frac(evaluated(a.base, false))} (p = ${fmtP(flip.firstPassP)} ≤ ${fmtP(flip.firstPassAlpha)})`;
    } else {
      verdict = 'unconfirmed';
      evidence = `passed ${frac(cand1)} vs the baseline's ${frac(baseScreen)}; not confirmed yet (${c.candRuns} of ${flip.plan.runs} confirmation re-runs done)`;
    }
  } else if (baseRate === 0 && candRate === 1) {
    verdict = 'fixed';
    evidence = `baseline failed ${frac(baseScreen)}, candidate passed ${frac(cand1)}`;
  } else {
    verdict = candRate >= 0.5 ? 'unchanged-pass' : 'unchanged-fail';
    evidence = `candidate passed ${frac(cand1)}, baseline ${frac(baseScreen)}`;
  }
  const candMean = meanScore(cand1);
  const baseMean = meanScore(baseScreen);
  const out: CaseComparison = {
    dataset: group.dataset,
    caseId: group.caseId,
    variant: group.variant,
    verdict,
    candidatePassRate: round(candRate),
    baselinePassRate: baseRate === null ? null : round(baseRate),
    baselinePass: baseRate === null ? null : baseRate >= 0.5,
    runs: { candidate: candEvaluated, baseline: countEvaluated(a.base) + (a.recordedCounted ? 1 : 0) },
    scoreDelta: Number.isFinite(candMean) && Number.isFinite(baseMean) ? round(candMean - baseMean) : null,
    flaky: cand1.some((o) => o.pass) && cand1.some((o) => !o.pass),
    changes: cand1[0] && baseScreen[0] ? verdictChanges(baseScreen[0].scores, cand1[0].scores) : [],
    evidence,
  };
  if (flip && flip.counts.candRuns > 0) {
    out.confirmation = { ...flip.counts, pValue: round(confirmPValue(flip.counts, flip.sampled)), alpha: flip.plan.alphaCase };
  }
  if (unscoredNames.length) out.unscored = [...unscoredNames];
  if (incident !== undefined) {
    out.incident = incident;
    const candAll = group.cand.filter((o) => o.kind === 'evaluated');
    const rate = passRate(candAll);
    out.incidentHolds = candAll.length > 0 && rate >= gate.incidentMinPassRate;
    out.evidence = candAll.length === 0
      ? `incident ${incident}: never evaluated (${evidence})`
      : `incident ${incident}: candidate met its expectations in ${frac(candAll)} run(s)${out.incidentHolds ? '' : `, below the required ${Math.round(gate.incidentMinPassRate * 100)}%`}; ${evidence}`;
  }
  return out;
}

function countEvaluated(obs: readonly Obs[]): number {
  let n = 0;
  for (const o of obs) if (o.kind === 'evaluated') n++;
  return n;
}

/** The mean of every scored value of the runs, in run order (NaN when there is none). */
function meanScore(obs: readonly Obs[]): number {
  let sum = 0;
  let n = 0;
  for (const o of obs) {
    for (const s of o.scores) {
      if (s.state !== undefined) continue;
      sum += s.score;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

const NONE: readonly string[] = Object.freeze([]);

/** The names of evaluators left unscored in the runs, in order of first appearance (NONE: none). */
function unscoredOf(obs: readonly Obs[]): readonly string[] {
  let names: string[] | undefined;
  for (const o of obs) {
    for (const s of o.scores) {
      if (s.state !== 'unscored') continue;
      names ??= [];
      if (!names.includes(s.name)) names.push(s.name);
    }
  }
  return names ?? NONE;
}

function verdictChanges(base: CaseResult['scores'], cand: CaseResult['scores']): string[] {
  const out: string[] = [];
  for (const c of scored(cand)) {
    const b = scored(base).find((s) => s.name === c.name);
    if (b && b.pass !== c.pass) out.push(`${c.name}: ${b.pass ? 'pass' : 'fail'} → ${c.pass ? 'pass' : 'fail'}`);
  }
  return out;
}

function missingCases(entries: ReadonlyMap<string, Obs[]>, groups: CaseVariantMap<Group>): CaseComparison[] {
  return [...entries.entries()]
    .map(([key, obs]) => [key.split('\u0000'), obs] as const)
    .filter(([[dataset = '', caseId = '', variant = '']]) => !groups.has(dataset, caseId, variant))
    .map(([[dataset = '', caseId = '', variant = ''], obs]) => {
      const ev = obs.filter((o) => o.kind === 'evaluated');
      const rate = ev.length ? passRate(ev) : null;
      return {
        dataset, caseId, variant, verdict: 'missing' as const, candidatePassRate: 0, baselinePassRate: rate, baselinePass: rate === null ? null : rate >= 0.5,
        runs: { candidate: 0, baseline: ev.length }, scoreDelta: null, flaky: false, changes: [], evidence: 'in the baseline run, not run here: it was not checked',
      };
    });
}

function summariseConfirmation(cases: readonly CaseComparison[], flips: readonly Flip[]): ConfirmationSummary {
  const count = (v: CaseVerdict): number => cases.filter((c) => c.verdict === v).length;
  return {
    flips: flips.length,
    alphaCase: flips[0]?.plan.alphaCase ?? 0,
    runs: flips.reduce((n, f) => n + f.counts.candRuns + (f.sampled ? f.counts.baseRuns : 0), 0),
    regressed: count('regressed'),
    flaky: count('flaky'),
    unconfirmed: count('unconfirmed'),
  };
}

/** A variant's summary while results stream in: counts as they come, verdicts and percentiles at the end. */
type VariantAcc = Omit<VariantSummary, 'fixed' | 'regressed' | 'unchanged' | 'flaky' | 'unconfirmed' | 'latencyP50' | 'latencyP95'> & { latencies: number[] };

function accumulateVariant(map: Map<string, VariantAcc>, r: CaseResult): void {
  let v = map.get(r.variant);
  if (!v) {
    v = { variant: r.variant, total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, unscored: 0, confirmationRuns: 0, costUsd: 0, cacheHits: 0, latencies: [], inputTokens: 0, outputTokens: 0 };
    if (r.role === 'baseline') v.role = 'baseline';
    map.set(r.variant, v);
  }
  v.total++;
  if (r.phase === 'confirm') v.confirmationRuns++;
  const kind = toObs(r).kind;
  if (kind === 'skipped') v.skipped++;
  else if (kind === 'errored') v.errored++;
  else if (kind === 'unscored') v.unscored++;
  else if (r.pass) v.passed++;
  else v.failed++;
  v.costUsd += r.cached ? 0 : (r.costUsd ?? 0);
  if (r.cached) v.cacheHits++;
  else if (!r.error) v.latencies.push(r.latencyMs);
  v.inputTokens += r.usage?.inputTokens ?? 0;
  v.outputTokens += r.usage?.outputTokens ?? 0;
}

function finishVariant(acc: VariantAcc, cases: readonly CaseComparison[]): VariantSummary {
  const { latencies, ...v } = acc;
  const mine = cases.filter((c) => c.variant === v.variant);
  const count = (verdicts: CaseVerdict[]): number => mine.filter((c) => verdicts.includes(c.verdict)).length;
  return {
    ...v,
    fixed: count(['fixed']),
    regressed: count(['regressed']),
    unchanged: count(['unchanged-pass', 'unchanged-fail']),
    flaky: count(['flaky']),
    unconfirmed: count(['unconfirmed']),
    costUsd: Math.round(v.costUsd * 1e6) / 1e6,
    latencyP50: percentile(latencies, 50),
    latencyP95: percentile(latencies, 95),
  };
}

function fmtP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toPrecision(2);
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
