/**
 * A finished run held in memory (tests, the library API, small runs). Reporters never see the
 * runner, providers or the file system: they render a `ReportView` (report-view.ts), made from
 * this value by `viewOfInput`, or over a run directory by src/cli/run-view.ts without holding
 * every result or case.
 */
import type { Case } from '../datasets/case.js';
import type { CaseResult } from '../runner/result.js';
import type { RunRecord } from '../runner/run-record.js';

/** Input of `renderHtml`, `renderMarkdown`, `renderJunit`, `renderJson` and `writeReports`. */
export interface ReportInput {
  /** The run record (`run.json`), with `comparison` when a baseline was compared. */
  readonly run: Readonly<RunRecord>;
  /** Every `results.jsonl` line: case × variant × repeat. */
  readonly results: readonly CaseResult[];
  /** Cases by id, for inputs, documents, prompts, recorded output, diagnosis and steps. */
  readonly cases: ReadonlyMap<string, Case>;
}
