/**
 * What every reporter receives: a read-only view of a finished run. Reporters never see the
 * runner, providers or the file system, so they stay pure functions of this value.
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
