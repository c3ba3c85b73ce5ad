/**
 * Pass rates per dataset and per case tag (`case.labels.tags`), each per variant: the
 * breakdowns every report format shows. A row counts when it has a result (missing and skipped
 * rows do not); it passes when every repeat passed ({@link rowPasses}). A case with several
 * tags counts under each; untagged cases appear only in the dataset breakdown.
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

export interface Breakdowns {
  datasets: GroupPassRate[];
  tags: GroupPassRate[];
}

/** Builds both breakdowns (pure), sorted by group then variant. */
export function buildBreakdowns(rows: readonly ReportRow[]): Breakdowns {
  return {
    datasets: groupRates(rows, (r) => [r.dataset]),
    tags: groupRates(rows, (r) => [...new Set(r.case?.labels.tags ?? [])]),
  };
}

function groupRates(rows: readonly ReportRow[], groupsOf: (r: ReportRow) => string[]): GroupPassRate[] {
  const acc = new Map<string, GroupPassRate>();
  for (const row of rows) {
    for (const group of groupsOf(row)) {
      const key = JSON.stringify([group, row.variant]);
      let g = acc.get(key);
      if (!g) acc.set(key, (g = { group, variant: row.variant, cases: 0, passed: 0, failed: 0, passRate: null }));
      if (row.results.length === 0) continue;
      g.cases++;
      if (rowPasses(row)) g.passed++;
      else g.failed++;
    }
  }
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
