/**
 * A finished run directory as reporters read it, with memory flat in the number of cases: one
 * streamed pass over `results.jsonl` (or the run's own last pass, handed over) keeps per result
 * only what comparison needs (slim.ts, by column) and where its line is; the report aggregates
 * come from those slim results; after comparison, only one brief per row (its line offsets)
 * stays. A row's results are read back by byte offset and its case from the dataset when a
 * report reaches it.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { compareResults, type CompareOptions } from '../compare/compare.js';
import { ByCaseId, caseKey } from '../compare/observations.js';
import { SlimTable } from '../compare/slim-table.js';
import type { CaseComparison, Comparison } from '../compare/types.js';
import { caseTitle, type Case } from '../datasets/case.js';
import { rowOrder, verdictWithoutComparison, type ReportRow } from '../reporters/case-rows.js';
import { summarizeRows, type ReportView, type RowBrief, type RowParts } from '../reporters/report-view.js';
import type { CaseResult } from '../runner/result.js';
import { RESULTS_FILE, scanSlimResults, type SlimScan } from '../runner/results.js';
import type { RunRecord } from '../runner/run-record.js';
import { scrubValue } from '../secrets/scrub.js';
import type { CaseLookup } from './run-cases.js';
import { ResultLines } from '../runner/results-scan.js';

/**
 * A row brief plus where its results are: the first line's byte offset and length, and for a
 * row of several results `[offset, length, …]` of the others, repeat order (most rows have one:
 * no array for them).
 */
interface FileBrief extends RowBrief {
  offset: number;
  length: number;
  more: number[] | undefined;
}

/** The view of a run directory; `close()` releases the results file. */
export interface RunView extends ReportView {
  readonly comparison: Comparison;
  close(): void;
}

/** How {@link openRunView} finds what it needs of results.jsonl. */
export interface RunViewSource {
  /** The file as the run last read or wrote it (nothing written since); else it is read now. */
  scan?: SlimScan;
  /**
   * Every line was written by this version's runner (a fresh run): a case's incident is on its
   * result lines, so when none has one, no case has one and the cases' labels are not read for it.
   */
  incidentsInResults?: boolean;
}

/** Compares the run's results (streamed) and opens its view. `finish` may amend the comparison before the view is built. */
export async function openRunView(runDir: string, record: RunRecord, cases: CaseLookup, compare: Omit<CompareOptions, 'incidents'>, finish: (c: Comparison) => void, source: RunViewSource = {}): Promise<RunView> {
  const file = join(runDir, RESULTS_FILE);
  // One result per unit the record counts (more only after retries of a resumed run: the table grows then).
  const { table, rows } = source.scan ?? (await scanSlimResults(runDir, record.counts.total));
  const incidents = new Map<string, string>();
  let incidentField = false;
  for (const row of rows) {
    const incident = table.incident(row);
    if (incident !== undefined) {
      incidentField = true;
      incidents.set(caseKey(table.dataset(row), table.caseId(row)), incident);
    }
  }
  // Results written before lines carried `incident`: the cases' labels say it.
  if (!incidentField && !source.incidentsInResults) {
    for (const id of cases.ids()) {
      const incident = cases.brief(id)?.incident;
      if (incident) incidents.set(id, incident);
    }
  }
  const comparison = compareResults(table.results(rows), { ...compare, incidents });
  finish(comparison);
  const { briefs, rowsOf } = buildBriefs(table, rows, comparison.cases, record, cases);
  // The aggregates from the slim results (their scores are all the breakdowns read), in report
  // order: no pass over every row's lines for them.
  const summary = summarizeRows(briefs, (i) => {
    const b = briefs[i]!;
    const tags = cases.brief(b.caseId)?.tags;
    const at = rowsOf[i];
    const results = at === undefined ? [] : typeof at === 'number' ? [table.get(at)] : at.map((row) => table.get(row));
    return { dataset: b.dataset, variant: b.variant, results, ...(tags ? { case: { labels: { tags } } as unknown as Case } : {}) };
  });
  // Provider error bodies may echo a key: the comparison's entries are scrubbed in place (no second copy).
  for (const c of comparison.cases) Object.assign(c, scrubValue(c));
  const run = { ...scrubValue({ ...record, comparison: { ...comparison, cases: [] as CaseComparison[] } }) };
  run.comparison!.cases = comparison.cases;
  const fd = openSync(file, 'r');
  const lines = new ResultLines(fd, file);
  return {
    run,
    comparison: run.comparison!,
    briefs,
    row: (i, parts) => loadRow(briefs[i]!, parts ?? 'labels', lines, cases),
    summary,
    caseLine: (i) => cases.line(briefs[i]!.caseId),
    close: () => closeSync(fd),
  };
}

/**
 * The briefs in report order, and beside each its table rows (repeat order; a single row as a
 * number): what the summary reads, dropped after it.
 */
function buildBriefs(table: SlimTable, rows: readonly number[], compared: readonly CaseComparison[], record: RunRecord, cases: CaseLookup): { briefs: FileBrief[]; rowsOf: Array<number | number[] | undefined> } {
  // Rows of the table per row of the report, read by column (no slim result built per row):
  // per dataset × variant, by case id, a single row as a number (most rows), several as a list.
  const groups = new ByCaseId<number | number[]>();
  for (const row of rows) {
    // The sampled baseline's runs are the yardstick, not cases of their own.
    if (table.isBaseline(row)) continue;
    const byCase = groups.part(table.dataset(row), table.variant(row), 0, true);
    const id = table.caseId(row);
    const had = byCase.get(id);
    byCase.set(id, had === undefined ? row : typeof had === 'number' ? [had, row] : (had.push(row), had));
  }
  /** The rows of a group, taken out of `groups` (what is left afterwards has no comparison entry). */
  const take = (dataset: string, caseId: string, variant: string): number[] => {
    const byCase = groups.part(dataset, variant);
    const had = byCase?.get(caseId);
    if (had === undefined) return [];
    byCase!.delete(caseId);
    return typeof had === 'number' ? [had] : had;
  };
  const fallbackDataset = record.datasets.length === 1 ? (record.datasets[0]?.name ?? 'unknown') : 'unknown';
  const briefs: FileBrief[] = [];
  const made: Array<number | number[] | undefined> = [];
  const make = (caseId: string, variant: string, list: number[], comparison?: CaseComparison): FileBrief => {
    if (list.length > 1) list.sort((a, b) => table.repeat(a) - table.repeat(b));
    let latencySum = 0;
    let allPass = list.length > 0;
    for (const row of list) {
      latencySum += table.latencyMs(row);
      allPass &&= table.pass(row);
    }
    // Every field in one literal, `comparison` too when absent: one shape, all fields in the
    // object itself (a spread in the middle of a literal adds the rest one by one, into a
    // separate property array per brief).
    const brief: FileBrief = {
      caseId,
      variant,
      dataset: comparison?.dataset ?? (list.length > 0 ? table.dataset(list[0]!) : fallbackDataset),
      verdict: comparison?.verdict ?? verdictWithoutComparison(list.map((row) => table.get(row))),
      comparison,
      runs: list.length,
      allPass,
      latencySum,
      hasCase: cases.has(caseId),
      offset: list.length > 0 ? table.offset(list[0]!) : 0,
      length: list.length > 0 ? table.length(list[0]!) : 0,
      more: list.length > 1 ? lineRanges(table, list.slice(1)) : undefined,
    };
    made.push(list.length === 0 ? undefined : list.length === 1 ? list[0] : list);
    return brief;
  };
  for (const cmp of compared) briefs.push(make(cmp.caseId, cmp.variant, take(cmp.dataset, cmp.caseId, cmp.variant), cmp));
  for (const byCase of groups.parts()) {
    for (const had of byCase.values()) {
      const list = typeof had === 'number' ? [had] : had;
      briefs.push(make(table.caseId(list[0]!), table.variant(list[0]!), list));
    }
  }
  // Sorted by index, so the rows beside each brief follow it.
  const order = Uint32Array.from(briefs.keys()).sort((x, y) => rowOrder(briefs[x]!, briefs[y]!));
  return { briefs: Array.from(order, (k) => briefs[k]!), rowsOf: Array.from(order, (k) => made[k]) };
}

/** `[offset, length, …]` of the rows' lines, in an array of exactly that size (`flatMap` leaves room for 17). */
function lineRanges(table: SlimTable, rows: readonly number[]): number[] {
  const out = new Array<number>(rows.length * 2);
  rows.forEach((row, k) => {
    out[2 * k] = table.offset(row);
    out[2 * k + 1] = table.length(row);
  });
  return out;
}

/**
 * Row `b` with the parts asked for. `labels`: the case holds only its labels' tags and incident
 * (from the lookup's kept brief: no case file read), which is all the summary, index, JUnit,
 * Markdown and detail passes read of it; `full` and `case` read the whole case.
 */
function loadRow(b: FileBrief, parts: RowParts, lines: ResultLines, cases: CaseLookup): ReportRow {
  const results: CaseResult[] = [];
  if (parts !== 'case' && b.runs > 0) {
    results.push(lines.read(b.offset, b.length));
    if (b.more) for (let k = 0; k < b.more.length; k += 2) results.push(lines.read(b.more[k]!, b.more[k + 1]!));
  }
  let c: Case | undefined;
  let title = b.caseId;
  if (parts === 'labels') {
    const brief = cases.brief(b.caseId);
    if (brief) {
      title = brief.title;
      c = { id: b.caseId, labels: { tags: brief.tags, ...(brief.incident !== undefined ? { incident: brief.incident } : {}) } } as unknown as Case;
    }
  } else if (parts !== 'results') {
    c = cases.get(b.caseId);
    if (c) title = caseTitle(c);
  }
  return {
    caseId: b.caseId,
    variant: b.variant,
    dataset: b.dataset,
    title,
    verdict: b.verdict,
    results,
    ...(b.comparison ? { comparison: b.comparison } : {}),
    ...(c ? { case: c } : {}),
  };
}
