/**
 * The gate: pass, fail or inconclusive, with one sentence per reason. Green means "checked and
 * fine": a run that evaluated nothing fails; errors, skips and unscored runs beyond the
 * tolerance fail; an incident case whose expectations do not hold fails (whatever production
 * did); confirmed regressions beyond `maxRegressions` fail; a metric fails when its drop is both
 * beyond `maxMetricDrop` and significant after Holm's adjustment. Flips whose re-runs could not
 * finish leave the verdict inconclusive (exit 1 unless `allowInconclusive`).
 *
 * The false-alarm budget `alpha` is split in two halves: one for every per-case confirmation
 * together (confirm.ts), one for every metric test together (metrics.ts).
 */
import type { GateConfig } from '../config/schema.js';
import { ExitCode } from '../errors.js';
import type { CaseComparison, ConfirmationSummary, GateResult, MetricComparison, VariantSummary } from './types.js';

export interface GateInput {
  cases: readonly CaseComparison[];
  metrics: readonly MetricComparison[];
  variants: readonly VariantSummary[];
  confirmation: ConfirmationSummary;
}

const LIST = 5;

export function decideGate(input: GateInput, gate: GateConfig): GateResult {
  const { cases, metrics, variants, confirmation } = input;
  const fail: string[] = [];
  const unsure: string[] = [];
  const info: string[] = [];
  const candidates = variants.filter((v) => v.role !== 'baseline');
  const sum = (vs: readonly VariantSummary[], k: 'total' | 'errored' | 'skipped' | 'unscored' | 'passed' | 'failed'): number => vs.reduce((n, v) => n + v[k], 0);
  const evaluatedRuns = sum(candidates, 'passed') + sum(candidates, 'failed');
  const candTotal = sum(candidates, 'total');
  if (candTotal === 0 || evaluatedRuns === 0) {
    const why = candTotal === 0 ? 'the run holds no candidate result' : `${candTotal} candidate run(s): ${sum(candidates, 'errored')} errored, ${sum(candidates, 'skipped')} skipped, ${sum(candidates, 'unscored')} unscored`;
    return { status: 'fail', nothingEvaluated: true, reasons: [`nothing was evaluated (${why}): a gate that checked nothing cannot pass`] };
  }

  const incidentCases = cases.filter((c) => c.incident !== undefined);
  if (gate.incidentsMustHold) {
    for (const c of incidentCases.filter((c) => c.incidentHolds === false)) fail.push(`${c.evidence} (case ${c.caseId}, ${c.variant})`);
  }
  const regressed = cases.filter((c) => c.verdict === 'regressed' && c.incident === undefined);
  if (regressed.length > gate.maxRegressions) {
    fail.push(`${regressed.length} case(s) regressed (at most ${gate.maxRegressions} allowed): ${listCases(regressed)}`);
  } else if (regressed.length > 0) info.push(`${regressed.length} case(s) regressed, within the ${gate.maxRegressions} tolerated: ${listCases(regressed)}`);

  for (const m of metrics) {
    if (m.delta === null || m.pAdjusted === undefined || m.n < gate.minCases) continue;
    if (m.delta < -gate.maxMetricDrop && m.pAdjusted <= gate.alpha / 2) {
      fail.push(
        `${m.name} (${m.variant}, ${m.dataset}) dropped from ${fmt(m.baselineMean)} to ${fmt(m.candidateMean)} over ${m.n} cases` +
          `${m.ci ? ` (95% CI of the change ${sign(m.ci[0])}…${sign(m.ci[1])})` : ''}, beyond the ${gate.maxMetricDrop} tolerance and significant (p = ${m.pAdjusted} after Holm, ≤ ${gate.alpha / 2})`,
      );
    }
  }
  const pairedN = Math.max(0, ...metrics.map((m) => m.n));
  if (pairedN < gate.minCases) info.push(`too few cases (${pairedN} < gate.minCases ${gate.minCases}) for aggregate metric tests: per-case verdicts only`);

  // The tolerance is on what the gate checks: the candidates' runs. The sampled baseline's
  // failures only thin its evidence (the recorded output still counts) and are reported.
  const notRun = sum(candidates, 'errored') + sum(candidates, 'skipped');
  if (notRun > 0) {
    const line = `${notRun} of ${candTotal} candidate run(s) (${pct(notRun / candTotal)}) got no output (${sum(candidates, 'errored')} errored: provider or setup, ${sum(candidates, 'skipped')} skipped)`;
    if (notRun / candTotal > gate.maxErrorRate) fail.push(`${line}, above the ${pct(gate.maxErrorRate)} tolerance (gate.maxErrorRate)`);
    else info.push(`${line}, within the ${pct(gate.maxErrorRate)} tolerance`);
  }
  const baselines = variants.filter((v) => v.role === 'baseline');
  const baseNotRun = sum(baselines, 'errored') + sum(baselines, 'skipped');
  if (baseNotRun > 0) info.push(`${baseNotRun} of ${sum(baselines, 'total')} baseline run(s) got no output (production's call could not be replayed): those cases are compared with the recorded output alone`);
  const all = variants;
  const unscored = sum(all, 'unscored');
  if (unscored > 0) {
    const names = [...new Set(cases.flatMap((c) => c.unscored ?? []))].join(', ');
    const line = `${unscored} run(s) unscored: evaluator ${names || '(unknown)'} errored or timed out, so those outputs were never judged`;
    (gate.failOnUnscored ? fail : info).push(line);
  }
  const missing = cases.filter((c) => c.verdict === 'missing');
  if (missing.length > 0) {
    const line = `${missing.length} case(s) of the baseline were not run here: ${listCases(missing)}`;
    (gate.failOnMissing ? fail : info).push(line);
  }
  const fresh = cases.filter((c) => c.verdict === 'new');
  if (fresh.length > 0) info.push(`${fresh.length} case(s) have no baseline to compare with (new): ${listCases(fresh)}`);

  if (confirmation.unconfirmed > 0) {
    unsure.push(`${confirmation.unconfirmed} case(s) passed less often than the baseline but were not re-run enough to tell noise from a regression: ${listCases(cases.filter((c) => c.verdict === 'unconfirmed'))}`);
  }
  if (confirmation.flips > 0) {
    info.push(`${confirmation.flips} flip(s) re-checked with ${confirmation.runs} confirmation run(s): ${confirmation.regressed} regressed, ${confirmation.flaky} were noise`);
  }

  if (fail.length > 0) return { status: 'fail', reasons: [...fail, ...unsure, ...info] };
  if (unsure.length > 0) return { status: 'inconclusive', reasons: [...unsure, ...info] };
  const fixed = cases.filter((c) => c.verdict === 'fixed').length;
  const checked = new Set(cases.filter((c) => c.runs.candidate > 0).map((c) => `${c.dataset}\u0000${c.caseId}`)).size;
  const holds = incidentCases.filter((c) => c.incidentHolds).length;
  return {
    status: 'pass',
    reasons: [`checked ${checked} case(s) × ${candidates.length} variant(s): no confirmed regression${fixed ? `; ${fixed} fixed` : ''}${holds ? `; ${holds} incident expectation(s) hold` : ''}`, ...info],
  };
}

function listCases(cases: readonly CaseComparison[]): string {
  const shown = cases.slice(0, LIST).map((c) => `${c.caseId} (${c.variant})`);
  return shown.join(', ') + (cases.length > LIST ? ` and ${cases.length - LIST} more` : '');
}

function fmt(n: number | null): string {
  return n === null ? '–' : n.toFixed(3);
}

function sign(n: number): string {
  return (n >= 0 ? '+' : '') + n.toFixed(3);
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/**
 * 0 pass; 1 gate failed, or inconclusive unless `gate.allowInconclusive`; 3 nothing was
 * evaluated (every run errored, was skipped or unscored). 2 (usage, input) is thrown earlier.
 */
export function exitCodeFor(gate: GateResult, config: Pick<GateConfig, 'allowInconclusive'>): number {
  if (gate.nothingEvaluated) return ExitCode.runError;
  if (gate.status === 'fail') return ExitCode.regression;
  if (gate.status === 'inconclusive') return config.allowInconclusive ? ExitCode.ok : ExitCode.regression;
  return ExitCode.ok;
}
