/**
 * The HTML report: one self-contained file with no network access. The stylesheet and the
 * script are inline and allowed by their SHA-256 hash in a strict CSP; the data travels as
 * escaped JSON (report-data.ts: an index parsed at load, details read per opened row) and is
 * rendered with `textContent` only. `renderHtmlChunks` yields the document in pieces, so a
 * writer can stream a report of 100,000 cases without building one string of it.
 */
import { createHash } from 'node:crypto';
import { VERDICT_ORDER } from '../case-rows.js';
import { wordDiff } from '../diff.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import type { ReportInput } from '../report-input.js';
import { CLIENT_DETAIL_JS } from './client-detail.js';
import { CLIENT_TABLE_JS } from './client-table.js';
import { caseData, indexRow, rowDetail, rowOutput } from './report-data.js';
import { asView, summarizeView, type ReportView, type RowBrief, type ViewSummary } from '../report-view.js';
import { REPORT_CSS } from './styles.js';
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
export function renderHtml(input: ReportInput | ReportView): string {
  return [...renderHtmlChunks(input)].join('');
}

/**
 * Pieces of the index and details blocks are joined up to about this many characters: small
 * enough that a joined piece is not a V8 large object (those are freed only by full collections,
 * and a 100,000-case report made hundreds of MB of them).
 */
const CHUNK = 1 << 15;

/**
 * Where a row's output and detail lines wait while the index is written, so each row is loaded
 * once for all three blocks (it was loaded three times: at 10,000 cases, two of the five full
 * parses of every result line the reports made). The lines come back in order, after the index.
 */
export interface LineSpill {
  /** Appends text made of whole lines (each line but the first of the block starts with its newline). */
  add(text: string): void;
  /** Everything added, in order, in pieces that each end at a line boundary; read once. */
  pieces(): Iterable<string>;
  /** Frees what it holds (a file spill deletes its file). Called once, also after a failure. */
  close(): void;
}

/** Makes one {@link LineSpill} per call. */
export type SpillFactory = () => LineSpill;

/**
 * The default: lines held in memory as pieces of about CHUNK characters (about 4 MB at 10,000
 * cases). `writeReports` spills to a file in the report directory instead.
 */
export const memorySpill: SpillFactory = () => {
  const done: string[] = [];
  let buf: string[] = [];
  let size = 0;
  return {
    add(text) {
      buf.push(text);
      size += text.length;
      if (size >= CHUNK) {
        done.push(buf.join(''));
        buf = [];
        size = 0;
      }
    },
    *pieces() {
      yield* done;
      if (size > 0) yield buf.join('');
    },
    close() {
      done.length = 0;
      buf = [];
    },
  };
};

/**
 * The report as consecutive pieces of text (each about 32k characters unless one clipped field is
 * larger, each made of whole JSON values): concatenated, exactly `renderHtml(input)`. Each row is
 * loaded from the view once: its index entry is written at once, its output and detail lines
 * wait in `spill` until the index is complete. Iterate once.
 */
export function* renderHtmlChunks(input: ReportInput | ReportView, spill: SpillFactory = memorySpill): Generator<string> {
  const view = asView(input);
  const { briefs } = view;
  const summary = summarizeView(view);
  const layout = planIndex(briefs);
  const [head, tail] = renderPage(view.run, summary).split(DETAILS_SLOT) as [string, string];
  const [beforeData, afterData] = head.split(DATA_SLOT) as [string, string];
  yield beforeData;
  const outputs = spill();
  let details: LineSpill | undefined;
  try {
    details = spill();
    yield* joined(indexPieces(view, layout, outputs, details));
    yield afterData;
    // The details come after the script: the table is drawn while the browser still parses them.
    // Every line but the last ends with a newline: line numbers are what the client indexes by.
    yield* outputs.pieces();
    yield* details.pieces();
    yield* joined(caseLines(view, layout.caseRows));
    yield tail;
  } finally {
    outputs.close();
    details?.close();
  }
}

/** Joins small pieces into chunks of about CHUNK characters. */
function* joined(pieces: Iterable<string>): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    buf.push(piece);
    size += piece.length;
    if (size >= CHUNK) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  yield buf.join('');
}

/**
 * The `#data` document (`jsonForScript(buildIndex(rows).index)`) piece by piece; the same rows'
 * output lines go to `outputs` and their detail lines to `details` (the first two parts of
 * `#details`: every row's output, then every row's detail).
 */
function* indexPieces(view: ReportView, layout: IndexPlan, outputs: LineSpill, details: LineSpill): Generator<string> {
  const { variants, datasets, caseOf, caseRows } = layout;
  yield `{"variants":${jsonForScript(variants)},"datasets":${jsonForScript(datasets)},"verdicts":${jsonForScript(VERDICT_ORDER)},"rows":[`;
  const variantSlot = new Map(variants.map((v, i) => [v, i]));
  const datasetSlot = new Map(datasets.map((d, i) => [d, i]));
  for (let i = 0; i < view.briefs.length; i++) {
    const row = view.row(i);
    yield `${i > 0 ? ',' : ''}${jsonForScript(indexRow(row, variantSlot.get(row.variant)!, datasetSlot.get(row.dataset)!, caseOf[i]!))}`;
    outputs.add(`${i > 0 ? '\n' : ''}${jsonForScript(rowOutput(row))}`);
    // Output line 0 always comes first, so every detail line starts with a newline.
    details.add(`\n${jsonForScript(rowDetail(row))}`);
  }
  yield `],"caseCount":${caseRows.length}}`;
}

/** The last part of `#details`: every case's content, after the rows' output and detail lines. */
function* caseLines(view: ReportView, caseRows: readonly number[]): Generator<string> {
  let first = view.briefs.length === 0;
  for (const i of caseRows) {
    const text = view.caseLine?.(i) ?? jsonForScript(caseData(view.row(i, 'case').case!));
    yield first ? text : `\n${text}`;
    first = false;
  }
}

/** Table slots and case lines, known from the briefs before any row is loaded. */
interface IndexPlan {
  variants: string[];
  datasets: string[];
  /** Per row, its case line (-1 without a case). */
  caseOf: number[];
  /** For each case line, the first row that has the case. */
  caseRows: number[];
}

function planIndex(briefs: readonly RowBrief[]): IndexPlan {
  const variants = new Set<string>();
  const datasets = new Set<string>();
  const caseIndex = new Map<string, number>();
  const caseOf: number[] = [];
  const caseRows: number[] = [];
  briefs.forEach((b, i) => {
    variants.add(b.variant);
    datasets.add(b.dataset);
    let c = -1;
    if (b.hasCase) {
      c = caseIndex.get(b.caseId) ?? -1;
      if (c === -1) {
        caseIndex.set(b.caseId, (c = caseRows.length));
        caseRows.push(i);
      }
    }
    caseOf.push(c);
  });
  return { variants: [...variants], datasets: [...datasets], caseOf, caseRows };
}

// Markers replaced by the embedded blocks: content in the page is escaped, so no `<` of it survives.
const DATA_SLOT = '<evals-data-slot>';
const DETAILS_SLOT = '<evals-details-slot>';

function renderPage(run: ReportView['run'], summary: ViewSummary): string {
  const { counts } = summary;
  const title = `evals report ${run.id}`;
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
${renderHeaderHtml(run)}
${renderCountsHtml(counts)}
<h2>Metrics</h2>
${renderMetricsHtml(run.comparison?.metrics ?? [])}
<h2>Pass rate by dataset and tag</h2>
${renderBreakdownHtml(summary.breakdowns)}
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
<footer>Generated by evals ${escapeHtml(run.toolVersion)} · self-contained, no network access.</footer>
</main>
<script type="application/json" id="data">${DATA_SLOT}</script>
<script>${CLIENT_JS}</script>
<script type="application/json" id="details">${DETAILS_SLOT}</script>
</body>
</html>
`;
}
