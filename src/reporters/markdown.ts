/**
 * Markdown for the pull-request comment and `$GITHUB_STEP_SUMMARY`: verdict, counts, metric
 * deltas, pass rate per dataset and tag, regressed then fixed cases, the rest collapsed. Content is escaped, and the text is
 * cut with a note before it reaches GitHub's comment limit.
 */
import type { CaseVerdict } from '../compare/types.js';
import { formatRate, type Breakdowns, type GroupPassRate } from './breakdown.js';
import { failureReasons } from './case-rows.js';
import type { ReportRow } from './case-rows.js';
import { clip, escapeMarkdown as md } from './escape.js';
import type { ReportInput } from './report-input.js';
import { asView, summarizeView, type ReportView, type ViewSummary } from './report-view.js';

/** Options of `renderMarkdown`. */
export interface MarkdownOptions {
  /** Longest output in characters (default 60,000, under GitHub's 65,536 comment limit). */
  maxChars?: number;
  /** Name of the HTML report mentioned in the truncation note (default `report.html`). */
  reportName?: string;
}

const GATE_ICON = { pass: '✅', fail: '❌', inconclusive: '⚠️' } as const;

/** Renders the summary as GitHub-flavoured Markdown (pure; rows are loaded only while they fit). */
export function renderMarkdown(input: ReportInput | ReportView, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 60_000;
  const reportName = options.reportName ?? 'report.html';
  const view = asView(input);
  const summary = summarizeView(view);
  const head = [...headerLines(view.run, summary), ''];
  const pick = (test: (v: CaseVerdict) => boolean): number[] => view.briefs.flatMap((b, i) => (test(b.verdict) ? [i] : []));
  const regressed = pick((v) => v === 'regressed');
  const fixed = pick((v) => v === 'fixed');
  const rest = pick((v) => v !== 'regressed' && v !== 'fixed');
  const lines = (rows: number[]): Iterable<string> => ({ *[Symbol.iterator]() { for (const i of rows) yield caseLine(view.row(i)); } });
  const body: Array<Iterable<string>> = [];
  if (regressed.length) body.push([`### Regressed (${regressed.length})`, ''], lines(regressed), ['']);
  if (fixed.length) body.push([`### Fixed (${fixed.length})`, ''], lines(fixed), ['']);
  if (rest.length) body.push([`<details><summary>Other cases (${rest.length})</summary>`, ''], lines(rest), ['', '</details>', '']);
  return fitWithin(head.join('\n'), body, view.briefs.length, maxChars, reportName);
}

function headerLines(run: ReportView['run'], summary: ViewSummary): string[] {
  const gate = run.comparison?.gate;
  const c = summary.counts;
  const verdict = gate
    ? `## ${GATE_ICON[gate.status]} evals: gate **${gate.status.toUpperCase()}**`
    : '## evals: not compared with a baseline';
  const datasets = run.datasets.map((d) => `${md(d.name)}@${d.version} (\`${d.hash.slice(0, 12).replace(/`/g, '')}\`)`).join(', ');
  const lines = [
    verdict,
    '',
    ...(gate?.reasons ?? []).map((r) => `- ${md(clip(r, 300))}`),
    ...(gate?.reasons.length ? [''] : []),
    `Run \`${run.id.replace(/`/g, '')}\` · datasets ${datasets || '–'} · variants ${run.variants.map((v) => md(v.name)).join(', ') || '–'}` +
      (run.comparison ? ` · baseline ${md(run.comparison.baseline.label)}` : ''),
    ...(run.batch ? ['', batchSentence(run.batch, run.costUsd)] : []),
    '',
    '| Regressed | Unconfirmed | Fixed | Unchanged | Flaky | New | Missing | Errored | Unscored | Skipped | Passing | Failing | Total |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${c.regressed} | ${c.unconfirmed} | ${c.fixed} | ${c.unchanged} | ${c.flaky} | ${c.new} | ${c.missing} | ${c.errored} | ${c.unscored} | ${c.skipped} | ${c.passed} | ${c.failed} | ${c.total} |`,
  ];
  const metrics = run.comparison?.metrics ?? [];
  if (metrics.length) {
    const f = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toFixed(3));
    lines.push('', '| Metric | Variant | Dataset | Cases | Baseline | Candidate | Δ | 95% CI | p (Holm) |', '|---|---|---|---:|---:|---:|---:|---:|---:|');
    for (const m of metrics) {
      const delta = m.delta === null ? '–' : `${m.delta > 0 ? '+' : ''}${f(m.delta)}`;
      const ci = m.ci ? `[${f(m.ci[0])}, ${f(m.ci[1])}]` : '–';
      const p = m.pAdjusted ?? m.pValue;
      lines.push(`| ${md(m.name)} | ${md(m.variant)} | ${md(m.dataset ?? '')} | ${m.n} | ${f(m.baselineMean)} | ${f(m.candidateMean)} | ${delta} | ${ci} | ${p === undefined ? '–' : p.toFixed(4)} |`);
    }
  }
  lines.push(...groupLines(summary.breakdowns), ...evaluatorLines(summary.breakdowns));
  return lines;
}

/** `--batch`: what went through provider batches and what their half price saved. */
function batchSentence(b: NonNullable<ReportView['run']['batch']>, costUsd: number): string {
  const live = b.unfinished ? `; ${b.unfinished} request(s) the batches did not run were sent live` : '';
  return `Cost $${costUsd.toFixed(4)}, saved **$${b.savedUsd.toFixed(4)} by batch**: ${b.answered} request(s) answered by ${b.batches.length} provider batch(es) at half price${b.errored ? ` (${b.errored} errored)` : ''}${live}.`;
}

/** Most breakdown lines in the comment; report.html and run.json have all of them. */
const MAX_BREAKDOWN_ROWS = 40;

/** Pass rate and mean score per named evaluator × variant (first pass). */
function evaluatorLines(b: Breakdowns): string[] {
  if (b.evaluators.length === 0) return [];
  const shown = b.evaluators.slice(0, MAX_BREAKDOWN_ROWS);
  const score = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
  return [
    '',
    '| Evaluator | Variant | Runs | Passing | Pass rate | Mean score | Unscored |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...shown.map((e) => `| ${md(clip(e.evaluator, 80))} | ${md(e.variant)} | ${e.runs} | ${e.passed} | ${formatRate(e.passRate)} | ${score(e.meanScore)} | ${e.unscored} |`),
    ...(b.evaluators.length > shown.length ? ['', `_${b.evaluators.length - shown.length} more evaluator rows in report.html and run.json._`] : []),
  ];
}

function groupLines(b: Breakdowns): string[] {
  const all: Array<[string, GroupPassRate]> = [...b.datasets.map((g): [string, GroupPassRate] => ['dataset', g]), ...b.tags.map((g): [string, GroupPassRate] => ['tag', g])];
  if (all.length === 0) return [];
  const shown = all.slice(0, MAX_BREAKDOWN_ROWS);
  return [
    '',
    '| By | Group | Variant | Passing | Cases | Pass rate |',
    '|---|---|---|---:|---:|---:|',
    ...shown.map(([by, g]) => `| ${by} | ${md(clip(g.group, 80))} | ${md(g.variant)} | ${g.passed} | ${g.cases} | ${formatRate(g.passRate)} |`),
    ...(all.length > shown.length ? ['', `_${all.length - shown.length} more breakdown rows in report.html and run.json._`] : []),
  ];
}

/** One list item: verdict, id, variant, title, what changed (first reasons). */
function caseLine(row: ReportRow): string {
  const reasons = failureReasons(row).slice(0, 3).map((r) => md(clip(r, 160)));
  const incident = row.comparison?.incident ?? row.case?.labels.incident;
  return (
    `- **${row.verdict}** \`${row.caseId.replace(/`/g, '')}\` (${md(row.variant)}) ${md(clip(row.title, 100))}` +
    (incident ? ` · incident ${md(incident)}` : '') +
    (row.results[0]?.provider !== undefined ? ` · on ${md(row.results[0].provider)}${row.results[0].api !== undefined ? ` (${md(row.results[0].api)})` : ''}` : '') +
    (reasons.length ? ` — ${reasons.join('; ')}` : '')
  );
}

/**
 * Appends sections line by line while the total stays under `maxChars`; the first line that
 * would not fit stops the output, a note says how many case lines were left out, and an open
 * `<details>` is closed so the comment still renders.
 */
function fitWithin(head: string, sections: ReadonlyArray<Iterable<string>>, totalCaseLines: number, maxChars: number, reportName: string): string {
  const reserve = 400;
  let out = head;
  let written = 0;
  for (const section of sections) {
    for (const line of section) {
      if (out.length + line.length + 1 > maxChars - reserve) {
        const open = out.lastIndexOf('<details>') > out.lastIndexOf('</details>');
        const note = `\n> **Truncated:** ${totalCaseLines - written} more case lines are not shown (GitHub comment limit); see \`${reportName}\` for every case.\n`;
        return `${out}${open ? '\n</details>\n' : ''}${note}`;
      }
      out += `\n${line}`;
      if (line.startsWith('- ')) written++;
    }
  }
  return `${out}\n`;
}
