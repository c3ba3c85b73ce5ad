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
export function renderJson(input: ReportInput): string {
  return `${JSON.stringify(buildRunJson(input), null, 2)}\n`;
}
