/**
 * The HTML report: one self-contained file with no network access. The stylesheet and the
 * script are inline and allowed by their SHA-256 hash in a strict CSP; the data travels as
 * escaped JSON (report-data.ts: an index parsed at load, details read per opened row) and is
 * rendered with `textContent` only. `renderHtmlChunks` yields the document in pieces, so a
 * writer can stream a report of 100,000 cases without building one string of it.
 */
import { createHash } from 'node:crypto';
import { buildRows, countVerdicts } from '../case-rows.js';
import { wordDiff } from '../diff.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import type { ReportInput } from '../report-input.js';
import { CLIENT_DETAIL_JS } from './client-detail.js';
import { CLIENT_TABLE_JS } from './client-table.js';
import { buildIndex, caseData, rowDetail, rowOutput } from './report-data.js';
import { REPORT_CSS } from './styles.js';
import { buildBreakdowns } from '../breakdown.js';
import { renderBreakdownHtml, renderCountsHtml, renderHeaderHtml, renderMetricsHtml } from './summary-html.js';

/** The whole client script: diff, table (with deep links), detail, then start once the DOM is parsed. */
export const CLIENT_JS = `'use strict';
${wordDiff.toString()}
${CLIENT_TABLE_JS}
${CLIENT_DETAIL_JS}
initTable();
`;

/** `'sha256-…'` CSP source for an inline element's exact text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Content-Security-Policy of the report: nothing but its own inline style and script. */
export function reportCsp(): string {
  return `default-src 'none'; script-src ${cspHash(CLIENT_JS)}; style-src ${cspHash(REPORT_CSS)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

const VERDICT_OPTIONS = ['all', 'regressed', 'unconfirmed', 'errored', 'unscored', 'missing', 'skipped', 'flaky', 'fixed', 'new', 'unchanged', 'failing'];

/** Renders the report as one HTML document (pure; `writeReports` saves it as `report.html`). */
export function renderHtml(input: ReportInput): string {
  return [...renderHtmlChunks(input)].join('');
}

/** Pieces of the details block are joined up to about this many characters. */
const CHUNK = 1 << 20;

/**
 * The report as consecutive pieces of text (each under a few MB unless one clipped field is
 * larger): concatenated, exactly `renderHtml(input)`. Pure; iterate once.
 */
export function* renderHtmlChunks(input: ReportInput): Generator<string> {
  const rows = buildRows(input);
  const { index, cases } = buildIndex(rows);
  const [head, tail] = renderPage(input, rows).split(DETAILS_SLOT) as [string, string];
  yield head.replace(DATA_SLOT, () => jsonForScript(index));
  // The details come after the script: the table is drawn while the browser still parses them.
  // Every line but the last ends with a newline: line numbers are what the client indexes by.
  let buf: string[] = [];
  let size = 0;
  let first = true;
  const lines = function* (): Generator<unknown> {
    for (const row of rows) yield rowOutput(row);
    for (const row of rows) yield rowDetail(row);
    for (const c of cases) yield caseData(c);
  };
  for (const value of lines()) {
    const line = jsonForScript(value);
    buf.push(first ? line : `\n${line}`);
    first = false;
    size += line.length + 1;
    if (size >= CHUNK) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  yield buf.join('');
  yield tail;
}

// Markers replaced by the embedded blocks: content in the page is escaped, so no `<` of it survives.
const DATA_SLOT = '<evals-data-slot>';
const DETAILS_SLOT = '<evals-details-slot>';

function renderPage(input: ReportInput, rows: ReturnType<typeof buildRows>): string {
  const counts = countVerdicts(rows);
  const title = `evals report ${input.run.id}`;
  const columns: Array<[string, string, string]> = [
    ['Verdict', 'verdict', ''],
    ['Case', 'title', ''],
    ['Id', '', ''],
    ['Variant', 'variant', ''],
    ['Dataset', 'dataset', ''],
    ['Score Δ', 'delta', 'num'],
    ['Pass', 'pass', 'num'],
    ['Latency', 'latency', 'num'],
    ['What changed', '', ''],
  ];
  const head = columns.map(([label, key, cls]) => `<th${key ? ` data-sort="${key}"` : ''}${cls ? ` class="${cls}"` : ''}>${label}</th>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${renderHeaderHtml(input)}
${renderCountsHtml(counts)}
<h2>Metrics</h2>
${renderMetricsHtml(input.run.comparison?.metrics ?? [])}
<h2>Pass rate by dataset and tag</h2>
${renderBreakdownHtml(buildBreakdowns(rows))}
<h2>Cases</h2>
<div class="toolbar">
<label>Verdict <select id="f-verdict">${VERDICT_OPTIONS.map((v) => `<option value="${v}">${v}</option>`).join('')}</select></label>
<label>Variant <select id="f-variant"><option value="all">all</option></select></label>
<input id="f-search" type="search" placeholder="Search title, id, output, changes…" aria-label="Search cases">
<span id="count" class="muted"></span>
</div>
<table id="cases"><thead><tr>${head}</tr></thead><tbody></tbody></table>
<div class="pager"><button id="prev" type="button">‹ Previous</button><span id="page" class="muted"></span><button id="next" type="button">Next ›</button></div>
<noscript><p>The case table needs JavaScript; see summary.md or junit.xml.</p></noscript>
<footer>Generated by evals ${escapeHtml(input.run.toolVersion)} · self-contained, no network access.</footer>
</main>
<script type="application/json" id="data">${DATA_SLOT}</script>
<script>${CLIENT_JS}</script>
<script type="application/json" id="details">${DETAILS_SLOT}</script>
</body>
</html>
`;
}
