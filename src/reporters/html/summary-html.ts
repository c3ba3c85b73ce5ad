/**
 * Server-rendered parts of the report: verdict header, summary counts and the metric table.
 * Small and fixed in size, so they are plain escaped HTML (readable even with scripts off).
 */
import type { MetricComparison } from '../../compare/types.js';
import type { Breakdowns, EvaluatorRate, GroupPassRate } from '../breakdown.js';
import { formatRate } from '../breakdown.js';
import type { VerdictCounts } from '../case-rows.js';
import { escapeHtml as e } from '../escape.js';
import type { ReportInput } from '../report-input.js';

/** Verdict header: gate status and reasons, run id, datasets, variants, baseline. */
export function renderHeaderHtml(run: ReportInput['run']): string {
  const gate = run.comparison?.gate;
  const status = gate?.status ?? 'none';
  const label = gate ? `gate: ${gate.status}` : 'not compared';
  const reasons = (gate?.reasons ?? []).map((r) => `<li>${e(r)}</li>`).join('');
  const datasets = run.datasets.map((d) => `${e(d.name)}@${d.version} <span class="mono muted">${e(d.hash.slice(0, 12))}</span> (${d.cases} cases)`);
  const variants = run.variants.map(
    (v) => `${e(v.name)}${v.model ? ` <span class="muted">${e(v.model)}</span>` : ''}${v.description ? ` <span class="muted">— ${e(v.description)}</span>` : ''}`,
  );
  const meta: Array<[string, string]> = [
    ['run', `<span class="mono">${e(run.id)}</span>`],
    ['status', e(run.status)],
    ['started', e(run.startedAt)],
    ['duration', run.durationMs === undefined ? '–' : `${(run.durationMs / 1000).toFixed(1)} s`],
    ['cost', `$${run.costUsd.toFixed(4)}${run.batch ? ` <span id="batch-saving">(saved $${run.batch.savedUsd.toFixed(4)} by batch)</span>` : ''}`],
    ['baseline', run.comparison ? `${e(run.comparison.baseline.label)} (${e(run.comparison.baseline.kind)})` : 'none'],
    ['tool', e(run.toolVersion)],
  ];
  return `<header>
<h1>Eval report <span id="verdict" class="gate gate-${e(status)}">${e(label)}</span></h1>
${reasons ? `<ul class="reasons">${reasons}</ul>` : ''}
<div class="meta">${meta.map(([k, v]) => `<span>${k}: <b>${v}</b></span>`).join('')}</div>
<div class="meta"><span>datasets: <b>${datasets.join(', ') || '–'}</b></span></div>
<div class="meta"><span>variants: <b>${variants.join(', ') || '–'}</b></span></div>
</header>`;
}

/** Summary cards: fixed, regressed, unchanged, new, missing, errored, plus pass/fail. */
export function renderCountsHtml(c: VerdictCounts): string {
  const cards: Array<[string, number, string]> = [
    ['regressed', c.regressed, c.regressed ? 'bad' : ''],
    ['unconfirmed', c.unconfirmed, c.unconfirmed ? 'warn' : ''],
    ['fixed', c.fixed, c.fixed ? 'good' : ''],
    ['unchanged', c.unchanged, ''],
    ['flaky', c.flaky, ''],
    ['new', c.new, ''],
    ['missing', c.missing, c.missing ? 'warn' : ''],
    ['errored', c.errored, c.errored ? 'bad' : ''],
    ['unscored', c.unscored, c.unscored ? 'bad' : ''],
    ['skipped', c.skipped, c.skipped ? 'warn' : ''],
    ['passing', c.passed, ''],
    ['failing', c.failed, ''],
    ['rows', c.total, ''],
  ];
  return `<div class="cards" id="counts">${cards
    .map(([l, n, cls]) => `<div class="card ${cls}" data-count="${l}"><span class="n">${n}</span><span class="l">${l}</span></div>`)
    .join('')}</div>`;
}

/** Metric table with baseline, candidate, delta, 95% CI, pass rates and the Holm-adjusted one-sided p. */
export function renderMetricsHtml(metrics: readonly MetricComparison[]): string {
  if (metrics.length === 0) return '<p class="muted">No metric comparison (run was not compared with a baseline).</p>';
  const f = (x: number | null | undefined, d = 3): string => (x === null || x === undefined ? '–' : x.toFixed(d));
  const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const rows = metrics.map((m) => {
    const cls = m.delta === null ? '' : m.ci && m.ci[1] < 0 ? 'neg' : m.ci && m.ci[0] > 0 ? 'pos' : '';
    return `<tr><td class="mono">${e(m.name)}</td><td>${e(m.variant)}</td><td class="num">${f(m.baselineMean)}</td><td class="num">${f(m.candidateMean)}</td><td class="num ${cls}">${m.delta !== null && m.delta > 0 ? '+' : ''}${f(m.delta)}</td><td class="num">${m.ci ? `[${f(m.ci[0])}, ${f(m.ci[1])}]` : '–'}</td><td class="num">${pct(m.baselinePassRate)}</td><td class="num">${pct(m.candidatePassRate)}</td><td class="num">${f(m.pAdjusted ?? m.pValue, 4)}</td><td class="num">${m.n}</td></tr>`;
  });
  return `<table id="metrics"><thead><tr><th>Evaluator</th><th>Variant</th><th class="num">Baseline</th><th class="num">Candidate</th><th class="num">Δ</th><th class="num">95% CI</th><th class="num">Base pass</th><th class="num">Cand pass</th><th class="num">p (one-sided, Holm)</th><th class="num">n</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Pass rate and mean score per named evaluator × variant, first pass (table `#evaluator-rates`). */
function renderEvaluatorRatesHtml(rates: readonly EvaluatorRate[]): string {
  if (rates.length === 0) return '';
  const f = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
  const rows = rates.map((r) => `<tr><td class="mono">${e(r.evaluator)}</td><td>${e(r.variant)}</td><td class="num">${r.runs}</td><td class="num">${r.passed}</td><td class="num">${formatRate(r.passRate)}</td><td class="num">${f(r.meanScore)}</td><td class="num">${r.unscored}</td></tr>`);
  return `<table id="evaluator-rates"><thead><tr><th>Evaluator</th><th>Variant</th><th class="num">Runs</th><th class="num">Passing</th><th class="num">Pass rate</th><th class="num">Mean score</th><th class="num">Unscored</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Pass rate per dataset and per case tag, per variant (section `#breakdown`), after the per-evaluator table. */
export function renderBreakdownHtml(b: Breakdowns): string {
  const row = (by: string, g: GroupPassRate): string =>
    `<tr><td>${by}</td><td>${e(g.group)}</td><td>${e(g.variant)}</td><td class="num">${g.passed}</td><td class="num">${g.cases}</td><td class="num">${formatRate(g.passRate)}</td></tr>`;
  const rows = [...b.datasets.map((g) => row('dataset', g)), ...b.tags.map((g) => row('tag', g))];
  if (rows.length === 0) return '<p class="muted" id="breakdown">No cases.</p>';
  return `${renderEvaluatorRatesHtml(b.evaluators)}<table id="breakdown"><thead><tr><th>By</th><th>Group</th><th>Variant</th><th class="num">Passing</th><th class="num">Cases</th><th class="num">Pass rate</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
