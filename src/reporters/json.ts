/**
 * `run.json`: the run record, unchanged, plus a `summary` of the results, so every reader of
 * a `RunRecord` keeps working and machines get the counts without reading `results.jsonl`.
 */
import type { CaseVerdict } from '../compare/types.js';
import type { RunRecord } from '../runner/run-record.js';
import { buildBreakdowns, type Breakdowns } from './breakdown.js';
import { buildRows, countVerdicts, failureReasons } from './case-rows.js';
import type { VerdictCounts } from './case-rows.js';
import type { ReportInput } from './report-input.js';
import { placeholderFor, stringifyStreamed } from './json-stream.js';
import { asView, countBriefs, summarizeView, type ReportView } from './report-view.js';

/** Schema id of the `summary` block. */
export const REPORT_SUMMARY_SCHEMA = 'evals.report-summary/v1';

/**
 * Stable shape of `run.json` as written by the reporters: all `RunRecord` fields, plus
 * `summary.counts` (same numbers as the HTML and Markdown), per-variant counts, `breakdowns`
 * (pass rate per dataset and per tag, per variant), and one short
 * entry per case × variant that is not `unchanged-pass` (ordered worst first).
 */
export interface RunReportJson extends RunRecord {
  summary: {
    schema: typeof REPORT_SUMMARY_SCHEMA;
    gate: 'pass' | 'fail' | 'inconclusive' | null;
    counts: VerdictCounts;
    variants: Record<string, VerdictCounts>;
    /** Pass rate per dataset and per case tag, each per variant (see breakdown.ts). */
    breakdowns: Breakdowns;
    cases: Array<{ caseId: string; variant: string; dataset: string; verdict: CaseVerdict; pass: boolean; reasons: string[] }>;
  };
}

/** Builds the `run.json` value (pure). */
export function buildRunJson(input: ReportInput): RunReportJson {
  const rows = buildRows(input);
  const variants: Record<string, VerdictCounts> = {};
  for (const name of [...new Set(rows.map((r) => r.variant))].sort()) {
    variants[name] = countVerdicts(rows.filter((r) => r.variant === name));
  }
  return {
    ...input.run,
    summary: {
      schema: REPORT_SUMMARY_SCHEMA,
      gate: input.run.comparison?.gate.status ?? null,
      counts: countVerdicts(rows),
      variants,
      breakdowns: buildBreakdowns(rows),
      cases: rows
        .filter((r) => r.verdict !== 'unchanged-pass')
        .map((r) => ({
          caseId: r.caseId,
          variant: r.variant,
          dataset: r.dataset,
          verdict: r.verdict,
          pass: r.results.length > 0 && r.results.every((x) => x.pass),
          reasons: failureReasons(r),
        })),
    },
  };
}

/** Renders `run.json` text: two-space indented JSON with a final newline (pure). */
export function renderJson(input: ReportInput | ReportView): string {
  return [...renderJsonChunks(input)].join('');
}

/**
 * `run.json` in pieces, `renderJson`'s text joined: the comparison's case entries and the
 * summary's are written one at a time (rows are loaded only for the summary's entries).
 */
export function* renderJsonChunks(input: ReportInput | ReportView): Generator<string> {
  const view = asView(input);
  const summary = summarizeView(view);
  const variants: Record<string, VerdictCounts> = {};
  for (const name of [...new Set(view.briefs.map((r) => r.variant))].sort()) {
    variants[name] = countBriefs(view.briefs.filter((r) => r.variant === name));
  }
  const run = view.run;
  const cmpCases = placeholderFor('comparison.cases');
  const caseEntries = placeholderFor('summary.cases');
  const value = {
    ...run,
    ...(run.comparison ? { comparison: { ...run.comparison, cases: cmpCases } } : {}),
    summary: { schema: REPORT_SUMMARY_SCHEMA, gate: run.comparison?.gate.status ?? null, counts: summary.counts, variants, breakdowns: summary.breakdowns, cases: caseEntries },
  };
  const entries = function* (): Generator<RunReportJson['summary']['cases'][number]> {
    for (let i = 0; i < view.briefs.length; i++) {
      if (view.briefs[i]!.verdict === 'unchanged-pass') continue;
      const r = view.row(i, 'results');
      yield { caseId: r.caseId, variant: r.variant, dataset: r.dataset, verdict: r.verdict, pass: r.results.length > 0 && r.results.every((x) => x.pass), reasons: failureReasons(r) };
    }
  };
  yield* stringifyStreamed(value, [...(run.comparison ? [{ placeholder: cmpCases, items: run.comparison.cases }] : []), { placeholder: caseEntries, items: entries() }]);
  yield '\n';
}
