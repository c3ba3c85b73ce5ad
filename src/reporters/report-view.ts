/**
 * What the reporters render from: the run record plus one small brief per case × variant row
 * (report order), and a way to load one full row (its results and its case) when it is
 * reached. A view over an in-memory `ReportInput` (tests, the library API) and one over a run
 * directory (src/cli/run-view.ts: results re-read by byte offset, cases read one at a time)
 * render the same text, and the second never holds every result or every case.
 */
import type { CaseComparison, CaseVerdict } from '../compare/types.js';
import type { RunRecord } from '../runner/run-record.js';
import { createBreakdownAcc, type BreakdownAcc, type Breakdowns } from './breakdown.js';
import { buildRows, type ReportRow, type VerdictCounts } from './case-rows.js';
import type { ReportInput } from './report-input.js';

/** A row without its results and case: what counts, sorting and grouping need. */
export interface RowBrief {
  caseId: string;
  variant: string;
  dataset: string;
  verdict: CaseVerdict;
  comparison?: CaseComparison;
  /** Number of results (repeats and confirmation runs). */
  runs: number;
  /** Every result passed (false when there is none). */
  allPass: boolean;
  /** Sum of the results' latencies, ms. */
  latencySum: number;
  /** The case is known (its content can be loaded). */
  hasCase: boolean;
}

/**
 * Which parts of a row to load: `labels` (the default) gives the results, the title and a case
 * of which only `labels.tags` and `labels.incident` may be read; `full` the results and the
 * whole case; `results` no case (`title` is the id); `case` the whole case and no results.
 * A view over memory always gives everything.
 */
export type RowParts = 'labels' | 'full' | 'results' | 'case';

export interface ReportView {
  readonly run: Readonly<RunRecord>;
  /** One per row, in report order (see `buildRows`). */
  readonly briefs: readonly RowBrief[];
  /** Loads row `i` (secrets already scrubbed); the caller drops it when done. */
  row(i: number, parts?: RowParts): ReportRow;
  /**
   * Row `i`'s case as the HTML report's case line (`jsonForScript(caseData(case))`), when the
   * view holds it already rendered; undefined: the reporter renders it from `row(i, 'case')`.
   */
  caseLine?(i: number): string | undefined;
  /** The aggregates, when the view computed them already (else `summarizeView` loads every row once). */
  readonly summary?: ViewSummary;
}

/** Briefs of rows already built (any order kept). */
export function briefOf(row: ReportRow, hasCase = row.case !== undefined): RowBrief {
  return {
    caseId: row.caseId,
    variant: row.variant,
    dataset: row.dataset,
    verdict: row.verdict,
    ...(row.comparison ? { comparison: row.comparison } : {}),
    runs: row.results.length,
    allPass: row.results.length > 0 && row.results.every((r) => r.pass),
    latencySum: row.results.reduce((s, r) => s + r.latencyMs, 0),
    hasCase,
  };
}

const views = new WeakMap<ReportInput, ReportView>();

/** The view of an in-memory input (rows built once, shared with `buildRows`). */
export function viewOfInput(input: ReportInput): ReportView {
  let view = views.get(input);
  if (!view) {
    const rows = buildRows(input);
    view = { run: input.run, briefs: rows.map((r) => briefOf(r)), row: (i) => rows[i]! };
    views.set(input, view);
  }
  return view;
}

/** A view, from either kind of input. */
export function asView(input: ReportInput | ReportView): ReportView {
  return 'briefs' in input ? input : viewOfInput(input);
}

/** Counts of the given briefs (see `countVerdicts`). */
export function countBriefs(briefs: Iterable<RowBrief>): VerdictCounts {
  const c: VerdictCounts = { total: 0, fixed: 0, regressed: 0, unchanged: 0, new: 0, missing: 0, errored: 0, skipped: 0, flaky: 0, unconfirmed: 0, unscored: 0, passed: 0, failed: 0 };
  for (const b of briefs) {
    c.total++;
    if (b.verdict === 'unchanged-pass' || b.verdict === 'unchanged-fail') c.unchanged++;
    else c[b.verdict]++;
    if (b.runs === 0) continue;
    if (b.allPass) c.passed++;
    else c.failed++;
  }
  return c;
}

/** Aggregates every report shows, from one pass over the rows. */
export interface ViewSummary {
  counts: VerdictCounts;
  breakdowns: Breakdowns;
  /** Breakdowns per JUnit suite (`dataset.variant`). */
  suites: Map<string, Breakdowns>;
}

const summaries = new WeakMap<ReportView, ViewSummary>();

/** Computed once per view: counts from the briefs, breakdowns from one pass over the loaded rows. */
export function summarizeView(view: ReportView): ViewSummary {
  if (view.summary) return view.summary;
  let s = summaries.get(view);
  if (s) return s;
  s = summarizeRows(view.briefs, (i) => view.row(i));
  summaries.set(view, s);
  return s;
}

/**
 * The aggregates of rows `0 … briefs.length − 1`. A row needs its dataset, variant, results
 * (phase, pass and scores are read) and its case's tags: a view that holds the results' scores
 * already can pass rows made from those instead of loading each.
 */
export function summarizeRows(briefs: readonly RowBrief[], row: (i: number) => Pick<ReportRow, 'dataset' | 'variant' | 'results' | 'case'>): ViewSummary {
  const all = createBreakdownAcc();
  const suites = new Map<string, BreakdownAcc>();
  for (let i = 0; i < briefs.length; i++) {
    const r = row(i) as ReportRow;
    all.add(r);
    const key = suiteKey(r);
    let acc = suites.get(key);
    if (!acc) suites.set(key, (acc = createBreakdownAcc()));
    acc.add(r);
  }
  return { counts: countBriefs(briefs), breakdowns: all.finish(), suites: new Map([...suites].map(([k, a]) => [k, a.finish()])) };
}

/** The JUnit suite of a row. */
export function suiteKey(row: Pick<RowBrief, 'dataset' | 'variant'>): string {
  return `${row.dataset}.${row.variant}`;
}
