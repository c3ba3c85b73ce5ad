/**
 * Pass rates per dataset and per case tag (`case.labels.tags`), each per variant: the
 * breakdowns every report format shows. A row counts when it has a result (missing and skipped
 * rows do not); it passes when every repeat passed ({@link rowPasses}). A case with several
 * tags counts under each; untagged cases appear only in the dataset breakdown.
 *
 * Plus one metric per evaluator name (the entry's `name:`, else its type) × variant: its pass
 * rate and mean score over the first-pass runs that it scored (confirmation re-runs sample
 * flipped cases only, so they would skew it; unscored and not-applicable scores are counted
 * apart, never as 0).
 */
import { rowPasses } from './case-rows.js';
import type { ReportRow } from './case-rows.js';

/** One group × variant. `passRate` is null when no row of the group has a result. */
export interface GroupPassRate {
  group: string;
  variant: string;
  /** Rows with a result. */
  cases: number;
  passed: number;
  failed: number;
  passRate: number | null;
}

/** One evaluator × variant. `passRate` and `meanScore` are null when it scored no run. */
export interface EvaluatorRate {
  evaluator: string;
  variant: string;
  /** First-pass runs it scored. */
  runs: number;
  passed: number;
  passRate: number | null;
  meanScore: number | null;
  /** Runs it could not score (errored, timed out) — not in `runs`. */
  unscored: number;
}

export interface Breakdowns {
  datasets: GroupPassRate[];
  tags: GroupPassRate[];
  /** Per named evaluator (see the file comment). */
  evaluators: EvaluatorRate[];
}

/** Builds both breakdowns (pure), sorted by group then variant. */
export function buildBreakdowns(rows: Iterable<ReportRow>): Breakdowns {
  const acc = createBreakdownAcc();
  for (const row of rows) acc.add(row);
  return acc.finish();
}

/** Breakdowns built row by row (a streamed report never holds every row). */
export interface BreakdownAcc {
  add(row: ReportRow): void;
  finish(): Breakdowns;
}

export function createBreakdownAcc(): BreakdownAcc {
  const datasets = new Map<string, GroupPassRate>();
  const tags = new Map<string, GroupPassRate>();
  const evaluators = new Map<string, EvaluatorRate & { sum: number }>();
  return {
    add(row) {
      addGroup(datasets, row.dataset, row);
      for (const tag of new Set(row.case?.labels.tags ?? [])) addGroup(tags, tag, row);
      addEvaluators(evaluators, row);
    },
    finish: () => ({ datasets: finishGroups(datasets), tags: finishGroups(tags), evaluators: finishEvaluators(evaluators) }),
  };
}

function addEvaluators(acc: Map<string, EvaluatorRate & { sum: number }>, row: ReportRow): void {
  for (const r of row.results) {
    if (r.phase === 'confirm') continue;
    for (const s of r.scores) {
      if (s.state === 'not_applicable') continue;
      const key = JSON.stringify([s.name, row.variant]);
      let e = acc.get(key);
      if (!e) acc.set(key, (e = { evaluator: s.name, variant: row.variant, runs: 0, passed: 0, passRate: null, meanScore: null, unscored: 0, sum: 0 }));
      if (s.state === 'unscored') {
        e.unscored++;
        continue;
      }
      e.runs++;
      e.sum += s.score;
      if (s.pass) e.passed++;
    }
  }
}

function finishEvaluators(acc: Map<string, EvaluatorRate & { sum: number }>): EvaluatorRate[] {
  const r4 = (n: number): number => Math.round(n * 10000) / 10000;
  const out = [...acc.values()].map(({ sum, ...e }) => ({ ...e, passRate: e.runs === 0 ? null : r4(e.passed / e.runs), meanScore: e.runs === 0 ? null : r4(sum / e.runs) }));
  return out.sort((a, b) => cmp(a.evaluator, b.evaluator) || cmp(a.variant, b.variant));
}

function addGroup(acc: Map<string, GroupPassRate>, group: string, row: ReportRow): void {
  const key = JSON.stringify([group, row.variant]);
  let g = acc.get(key);
  if (!g) acc.set(key, (g = { group, variant: row.variant, cases: 0, passed: 0, failed: 0, passRate: null }));
  if (row.results.length === 0) return;
  g.cases++;
  if (rowPasses(row)) g.passed++;
  else g.failed++;
}

function finishGroups(acc: Map<string, GroupPassRate>): GroupPassRate[] {
  const out = [...acc.values()].map((g) => ({ ...g, passRate: g.cases === 0 ? null : Math.round((g.passed / g.cases) * 10000) / 10000 }));
  return out.sort((a, b) => cmp(a.group, b.group) || cmp(a.variant, b.variant));
}

/** `87.5%`, or `–` when nothing counted. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
