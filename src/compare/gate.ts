/**
 * The gate: pass, fail or inconclusive, with one line per reason. Fails only on a real
 * regression: an incident case that regressed, more regressions than tolerated, or a metric
 * whose drop is beyond the tolerance AND significant. Flaky cases and provider errors make
 * the verdict inconclusive rather than failed, unless configured otherwise.
 */
import type { GateConfig } from '../config/schema.js';
import type { CaseComparison, GateResult, MetricComparison, VariantSummary } from './types.js';

export function decideGate(cases: readonly CaseComparison[], metrics: readonly MetricComparison[], variants: readonly VariantSummary[], gate: GateConfig): GateResult {
  const fail: string[] = [];
  const unsure: string[] = [];
  const regressed = cases.filter((c) => c.verdict === 'regressed');
  const incidentRegressions = regressed.filter((c) => c.incident !== undefined);
  if (gate.incidentsMustNotRegress) {
    for (const c of incidentRegressions) fail.push(`incident ${c.incident} case ${c.caseId} regressed (${c.variant})${c.changes.length ? `: ${c.changes.join(', ')}` : ''}`);
  }
  const counted = gate.incidentsMustNotRegress ? regressed.length - incidentRegressions.length : regressed.length;
  if (counted > gate.maxRegressions) fail.push(`${counted} case(s) regressed; at most ${gate.maxRegressions} allowed`);
  for (const m of metrics) {
    if (m.delta === null || !m.ci) continue;
    if (m.delta < -gate.maxMetricDrop && m.ci[1] < 0) {
      fail.push(`${m.name} (${m.variant}) mean dropped ${fmt(m.delta)} (95% CI ${fmt(m.ci[0])}…${fmt(m.ci[1])}), beyond the ${gate.maxMetricDrop} tolerance`);
    }
  }
  const errored = variants.reduce((n, v) => n + v.errored, 0);
  const total = variants.reduce((n, v) => n + v.total, 0);
  if (errored > 0) (gate.failOnErrors ? fail : unsure).push(`${errored} of ${total} case run(s) errored (provider or pipeline failure)`);
  const flakyIncidents = cases.filter((c) => c.flaky && c.incident !== undefined);
  for (const c of flakyIncidents) unsure.push(`incident ${c.incident} case ${c.caseId} is flaky (${Math.round(c.candidatePassRate * 100)}% of repeats pass)`);
  if (fail.length > 0) return { status: 'fail', reasons: [...fail, ...unsure] };
  if (total > 0 && errored === total - variants.reduce((n, v) => n + v.skipped, 0) && errored > 0) return { status: 'inconclusive', reasons: ['every case run errored: nothing was evaluated', ...unsure.slice(1)] };
  if (unsure.length > 0) return { status: 'inconclusive', reasons: unsure };
  const fixed = cases.filter((c) => c.verdict === 'fixed').length;
  const skipped = variants.reduce((n, v) => n + v.skipped, 0);
  const note = skipped ? [`${skipped} case run(s) skipped: nothing to replay (see the report; use a module or http pipeline for them)`] : [];
  return { status: 'pass', reasons: [`no regressions${fixed ? `; ${fixed} case(s) fixed` : ''}`, ...note] };
}

function fmt(n: number): string {
  return (n >= 0 ? '+' : '') + n.toFixed(3);
}
