/**
 * Compares candidate results with a baseline, case by case and metric by metric. Pure: takes
 * results (streamed in any order) and returns a `Comparison`. The baseline is either the
 * recorded production output scored with the same evaluators (carried on each result as
 * `baseline`), or another run's results.
 */
import type { GateConfig } from '../config/schema.js';
import type { Score } from '../evaluators/evaluator.js';
import type { CaseResult } from '../runner/result.js';
import { decideGate } from './gate.js';
import { bootstrapMeanCi, mcnemarExact, mean, percentile } from './stats.js';
import type { CaseComparison, CaseVerdict, Comparison, MetricComparison, VariantSummary } from './types.js';

/** What the baseline said about one case. */
export interface BaselineEntry {
  pass: boolean;
  scores: Score[];
}

export interface CompareOptions {
  gate: GateConfig;
  /** Incident id per case id (cases that must never regress). */
  incidents?: ReadonlyMap<string, string>;
  /**
   * Baseline from another run, keyed `caseId|variant` (or `caseId` to match every variant).
   * When absent, each result's `baseline` (recorded production output) is used.
   */
  baselineRun?: { label: string; entries: ReadonlyMap<string, BaselineEntry> };
}

/** Error types of runs that never started: nothing to replay (replay.ts), budget reached (runner). */
const NOT_STARTED = new Set(['not_replayable', 'skipped_budget']);

/** True for runs that never started (see NOT_STARTED). */
export function isNotStarted(error: { type?: string } | undefined): boolean {
  return error?.type !== undefined && NOT_STARTED.has(error.type);
}

interface Group {
  caseId: string;
  variant: string;
  results: Array<Pick<CaseResult, 'pass' | 'scores' | 'error'>>;
  baseline: BaselineEntry | undefined;
}

/** Builds the comparison; `results` may be any iterable (e.g. read line by line). */
export function compareResults(results: Iterable<CaseResult>, opts: CompareOptions): Comparison {
  const groups = new Map<string, Group>();
  const variants = new Map<string, VariantAcc>();
  for (const r of results) {
    const key = `${r.caseId}|${r.variant}`;
    let g = groups.get(key);
    if (!g) {
      g = { caseId: r.caseId, variant: r.variant, results: [], baseline: baselineFor(r, opts) };
      groups.set(key, g);
    }
    g.results.push({ pass: r.pass, scores: r.scores, ...(r.error ? { error: r.error } : {}) });
    accumulateVariant(variants, r);
  }
  const cases = [...groups.values()].map((g) => compareCase(g, opts.incidents?.get(g.caseId)));
  if (opts.baselineRun) cases.push(...missingCases(opts.baselineRun.entries, groups));
  const metrics = compareMetrics([...groups.values()]);
  const summaries = [...variants.values()].map((v) => finishVariant(v, cases));
  return {
    baseline: opts.baselineRun ? { kind: 'run', label: opts.baselineRun.label } : { kind: 'recorded', label: 'production (recorded output)' },
    cases,
    metrics,
    variants: summaries,
    gate: decideGate(cases, metrics, summaries, opts.gate),
  };
}

function baselineFor(r: CaseResult, opts: CompareOptions): BaselineEntry | undefined {
  if (opts.baselineRun) return opts.baselineRun.entries.get(`${r.caseId}|${r.variant}`) ?? opts.baselineRun.entries.get(r.caseId);
  // Production's answer was not recovered from the trace: no baseline verdict (never "fixed").
  if (r.baseline?.unknown !== undefined) return undefined;
  return r.baseline ? { pass: r.baseline.pass, scores: r.baseline.scores } : undefined;
}

function compareCase(g: Group, incident: string | undefined): CaseComparison {
  const ran = g.results.filter((r) => !r.error);
  const passes = ran.filter((r) => r.pass).length;
  const rate = ran.length ? passes / ran.length : 0;
  const flaky = passes > 0 && passes < ran.length;
  const base = g.baseline;
  let verdict: CaseVerdict;
  if (ran.length === 0) verdict = g.results.every((r) => isNotStarted(r.error)) ? 'skipped' : 'errored';
  else if (!base) verdict = 'new';
  else if (base.pass && passes === 0) verdict = 'regressed';
  else if (!base.pass && passes === ran.length) verdict = 'fixed';
  else verdict = base.pass ? 'unchanged-pass' : 'unchanged-fail';
  const candMean = ran.length ? mean(ran.flatMap((r) => r.scores.map((s) => s.score))) : NaN;
  const baseMean = base ? mean(base.scores.map((s) => s.score)) : NaN;
  const out: CaseComparison = {
    caseId: g.caseId,
    variant: g.variant,
    verdict,
    candidatePassRate: rate,
    baselinePass: base ? base.pass : null,
    scoreDelta: Number.isFinite(candMean) && Number.isFinite(baseMean) ? round(candMean - baseMean) : null,
    flaky,
    changes: ran[0] && base ? verdictChanges(base.scores, ran[0].scores) : [],
  };
  if (incident !== undefined) out.incident = incident;
  return out;
}

function verdictChanges(base: readonly Score[], cand: readonly Score[]): string[] {
  const out: string[] = [];
  for (const c of cand) {
    const b = base.find((s) => s.name === c.name);
    if (b && b.pass !== c.pass) out.push(`${c.name}: ${b.pass ? 'pass' : 'fail'} → ${c.pass ? 'pass' : 'fail'}`);
  }
  return out;
}

function missingCases(entries: ReadonlyMap<string, BaselineEntry>, groups: ReadonlyMap<string, Group>): CaseComparison[] {
  const seen = new Set([...groups.values()].flatMap((g) => [`${g.caseId}|${g.variant}`, g.caseId]));
  return [...entries.entries()]
    .filter(([key]) => !seen.has(key))
    .map(([key, e]) => {
      const [caseId, variant = '*'] = key.split('|');
      return { caseId: caseId!, variant, verdict: 'missing', candidatePassRate: 0, baselinePass: e.pass, scoreDelta: null, flaky: false, changes: [] };
    });
}

function compareMetrics(groups: readonly Group[]): MetricComparison[] {
  const byMetric = new Map<string, { name: string; variant: string; cand: number[]; base: number[]; diffs: number[]; candPass: number; basePass: number; nBase: number; b: number; c: number }>();
  for (const g of groups) {
    for (const r of g.results) {
      if (r.error) continue;
      for (const s of r.scores) {
        const key = `${g.variant}\u0000${s.name}`;
        let m = byMetric.get(key);
        if (!m) byMetric.set(key, (m = { name: s.name, variant: g.variant, cand: [], base: [], diffs: [], candPass: 0, basePass: 0, nBase: 0, b: 0, c: 0 }));
        m.cand.push(s.score);
        if (s.pass) m.candPass++;
        const bs = g.baseline?.scores.find((x) => x.name === s.name);
        if (bs) {
          m.base.push(bs.score);
          m.nBase++;
          if (bs.pass) m.basePass++;
          m.diffs.push(s.score - bs.score);
          if (bs.pass && !s.pass) m.b++;
          if (!bs.pass && s.pass) m.c++;
        }
      }
    }
  }
  return [...byMetric.values()].map((m) => {
    const paired = m.diffs.length > 0;
    const out: MetricComparison = {
      name: m.name,
      variant: m.variant,
      baselineMean: paired ? round(mean(m.base)) : null,
      candidateMean: round(mean(m.cand)),
      delta: paired ? round(mean(m.diffs)) : null,
      baselinePassRate: m.nBase ? round(m.basePass / m.nBase) : null,
      candidatePassRate: round(m.candPass / m.cand.length),
      n: m.cand.length,
    };
    // Past a few thousand pairs the interval is stable with fewer resamples; each costs O(n).
    const ci = paired ? bootstrapMeanCi(m.diffs, 0.95, m.diffs.length > 2000 ? 1000 : 2000) : undefined;
    if (ci) out.ci = [round(ci[0]), round(ci[1])];
    if (paired) out.pValue = round(mcnemarExact(m.b, m.c));
    return out;
  });
}

/** A variant's summary while results stream in: counts as they come, verdicts and percentiles at the end. */
type VariantAcc = Omit<VariantSummary, 'fixed' | 'regressed' | 'unchanged' | 'latencyP50' | 'latencyP95'> & { latencies: number[] };

function accumulateVariant(map: Map<string, VariantAcc>, r: CaseResult): void {
  let v = map.get(r.variant);
  if (!v) map.set(r.variant, (v = { variant: r.variant, total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, costUsd: 0, cacheHits: 0, latencies: [], inputTokens: 0, outputTokens: 0 }));
  v.total++;
  if (isNotStarted(r.error)) v.skipped++;
  else if (r.error) v.errored++;
  else if (r.pass) v.passed++;
  else v.failed++;
  v.costUsd += r.cached ? 0 : (r.costUsd ?? 0);
  if (r.cached) v.cacheHits++;
  else if (!r.error) v.latencies.push(r.latencyMs);
  v.inputTokens += r.usage?.inputTokens ?? 0;
  v.outputTokens += r.usage?.outputTokens ?? 0;
}

function finishVariant(v: VariantAcc, cases: readonly CaseComparison[]): VariantSummary {
  const mine = cases.filter((c) => c.variant === v.variant);
  const count = (verdicts: CaseVerdict[]): number => mine.filter((c) => verdicts.includes(c.verdict)).length;
  return {
    variant: v.variant,
    total: v.total,
    passed: v.passed,
    failed: v.failed,
    errored: v.errored,
    skipped: v.skipped,
    fixed: count(['fixed']),
    regressed: count(['regressed']),
    unchanged: count(['unchanged-pass', 'unchanged-fail']),
    costUsd: Math.round(v.costUsd * 1e6) / 1e6,
    cacheHits: v.cacheHits,
    latencyP50: percentile(v.latencies, 50),
    latencyP95: percentile(v.latencies, 95),
    inputTokens: v.inputTokens,
    outputTokens: v.outputTokens,
  };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
