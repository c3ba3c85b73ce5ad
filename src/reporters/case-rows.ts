/**
 * One row per case × variant, joining the comparison verdict, the results of every repeat and
 * the case. All reporters render these rows, so verdicts and counts agree across formats.
 */
import { isNotStarted } from '../compare/compare.js';
import { caseTitle } from '../datasets/case.js';
import type { Case } from '../datasets/case.js';
import type { CaseComparison, CaseVerdict } from '../compare/types.js';
import type { CaseResult } from '../runner/result.js';
import type { ReportInput } from './report-input.js';

/** A case × variant as reporters show it. */
export interface ReportRow {
  caseId: string;
  variant: string;
  /** Dataset name (from the result, else the run's only dataset, else `unknown`). */
  dataset: string;
  /** Short one-line title (`caseTitle`), or the case id when the case is not loaded. */
  title: string;
  verdict: CaseVerdict;
  /** Results of every repeat, repeat order; empty for `missing`. */
  results: CaseResult[];
  /** The comparison entry when the run was compared. */
  comparison?: CaseComparison;
  case?: Case;
}

/** Counts shown in every summary; `unchanged` joins `unchanged-pass` and `unchanged-fail`. */
export interface VerdictCounts {
  total: number;
  fixed: number;
  regressed: number;
  unchanged: number;
  new: number;
  missing: number;
  errored: number;
  /** Never started: nothing to replay, or the budget was reached. */
  skipped: number;
  /** A first-pass drop that re-runs showed to be noise. */
  flaky: number;
  /** A first-pass drop not yet re-run enough to decide. */
  unconfirmed: number;
  /** Never judged: an evaluator errored or timed out. */
  unscored: number;
  /** Rows whose first result passes. */
  passed: number;
  /** Rows with results that do not pass (errored included). */
  failed: number;
}

/** Verdicts in the order reports list them: worst news first. */
export const VERDICT_ORDER: readonly CaseVerdict[] = [
  'regressed',
  'unconfirmed',
  'errored',
  'unscored',
  'missing',
  'skipped',
  'flaky',
  'fixed',
  'new',
  'unchanged-fail',
  'unchanged-pass',
];

const STATISTICAL: ReadonlySet<CaseVerdict> = new Set(['regressed', 'flaky', 'unconfirmed', 'fixed']);

/** Rows already built for an input: every reporter asks for them, and 10,000 rows are not free. */
const built = new WeakMap<ReportInput, readonly ReportRow[]>();

/**
 * The rows, ordered by verdict (`VERDICT_ORDER`), then variant, then case id. Computed once per
 * input object and shared by the reporters (treat the result as read-only).
 */
export function buildRows(input: ReportInput): ReportRow[] {
  let rows = built.get(input);
  if (!rows) {
    rows = computeRows(input);
    built.set(input, rows);
  }
  return rows as ReportRow[];
}

function computeRows(input: ReportInput): ReportRow[] {
  const byKey = new Map<string, CaseResult[]>();
  for (const r of input.results) {
    // The sampled baseline's runs are the yardstick, not cases of their own.
    if (r.role === 'baseline') continue;
    const key = `${r.dataset}\u0000${r.caseId}\u0000${r.variant}`;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const fallbackDataset = input.run.datasets.length === 1 ? (input.run.datasets[0]?.name ?? 'unknown') : 'unknown';
  const rows: ReportRow[] = [];
  const seen = new Set<string>();
  const make = (caseId: string, variant: string, results: CaseResult[], comparison?: CaseComparison): ReportRow => {
    const c = input.cases.get(caseId);
    results.sort((a, b) => a.repeat - b.repeat);
    return {
      caseId,
      variant,
      dataset: comparison?.dataset ?? results[0]?.dataset ?? fallbackDataset,
      title: c ? caseTitle(c) : caseId,
      verdict: comparison?.verdict ?? verdictWithoutComparison(results),
      results,
      ...(comparison ? { comparison } : {}),
      ...(c ? { case: c } : {}),
    };
  };
  for (const cmp of input.run.comparison?.cases ?? []) {
    const key = `${cmp.dataset}\u0000${cmp.caseId}\u0000${cmp.variant}`;
    seen.add(key);
    rows.push(make(cmp.caseId, cmp.variant, byKey.get(key) ?? [], cmp));
  }
  for (const [key, results] of byKey) {
    if (seen.has(key)) continue;
    const first = results[0];
    if (first) rows.push(make(first.caseId, first.variant, results));
  }
  return rows.sort(rowOrder);
}

/** Report order: by verdict (`VERDICT_ORDER`), then variant, dataset and case id. */
export function rowOrder(a: Pick<ReportRow, 'verdict' | 'variant' | 'dataset' | 'caseId'>, b: Pick<ReportRow, 'verdict' | 'variant' | 'dataset' | 'caseId'>): number {
  const rank = (v: CaseVerdict): number => VERDICT_ORDER.indexOf(v);
  return rank(a.verdict) - rank(b.verdict) || cmpText(a.variant, b.variant) || cmpText(a.dataset, b.dataset) || cmpText(a.caseId, b.caseId);
}

/** Without a comparison the baseline is the recorded output scored in the same result. */
export function verdictWithoutComparison(results: readonly CaseResult[]): CaseVerdict {
  const first = results[0];
  if (!first) return 'missing';
  if (results.every((r) => isNotStarted(r.error))) return 'skipped';
  if (results.every((r) => r.error)) return 'errored';
  const pass = results.every((r) => r.pass);
  const base = results.find((r) => r.recorded)?.recorded?.pass;
  if (base === undefined) return 'new';
  if (base && !pass) return 'regressed';
  if (!base && pass) return 'fixed';
  return pass ? 'unchanged-pass' : 'unchanged-fail';
}

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts rows by verdict plus pass/fail of the first result. */
export function countVerdicts(rows: readonly ReportRow[]): VerdictCounts {
  const c: VerdictCounts = { total: rows.length, fixed: 0, regressed: 0, unchanged: 0, new: 0, missing: 0, errored: 0, skipped: 0, flaky: 0, unconfirmed: 0, unscored: 0, passed: 0, failed: 0 };
  for (const row of rows) {
    if (row.verdict === 'unchanged-pass' || row.verdict === 'unchanged-fail') c.unchanged++;
    else c[row.verdict]++;
    if (row.results.length === 0) continue;
    if (rowPasses(row)) c.passed++;
    else c.failed++;
  }
  return c;
}

/** A row passes when every repeat passed. */
export function rowPasses(row: ReportRow): boolean {
  return row.results.length > 0 && row.results.every((r) => r.pass);
}

/** The evidence sentence of verdicts that rest on statistics or an incident's expectations. */
export function evidenceOf(row: ReportRow): string | undefined {
  const c = row.comparison;
  return c && (STATISTICAL.has(row.verdict) || c.incident !== undefined) ? c.evidence : undefined;
}

/**
 * Why a row fails, one line each: the comparison's flipped evaluators, then failing scores and
 * the error of the first failing repeat.
 */
export function failureReasons(row: ReportRow): string[] {
  const evidence = evidenceOf(row);
  const out = [...(evidence !== undefined ? [evidence] : []), ...(row.comparison?.changes ?? [])];
  const failing = row.results.find((r) => !r.pass);
  if (failing?.error) out.push(`error: ${failing.error.type ? `${failing.error.type}: ` : ''}${failing.error.message}`);
  for (const s of failing?.scores ?? []) if (!s.pass) out.push(`${s.name} (${s.score.toFixed(2)}): ${s.reason}`);
  return out;
}
