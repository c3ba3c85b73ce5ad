/**
 * `evals run`'s subset filters: `--case <id-prefix>`, `--tag <t>`, `--incident [id]`,
 * `--failing <run-dir>`, `--limit <n>`. Repeated values of one flag are alternatives (any
 * prefix, any tag); different flags all apply; `--limit` keeps the first n of what is left,
 * in dataset order. `selectItems` reads a case only when a flag needs its labels (`--tag`,
 * `--incident`), a bounded number at a time, and stops once `--limit` is met; it keeps the items
 * (ids and readers), never the cases. `readFailingCases` reads a previous run's results.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Case } from '../datasets/case.js';
import { UsageError } from '../errors.js';
import { itemId, loadItem, readAhead, type PlanItem } from '../runner/plan-items.js';
import { readResults } from '../runner/results.js';
import { readRunRecord } from '../runner/run-file.js';

export interface CaseFilter {
  /** Case id prefixes (`c_3f9a`; the `c_` may be left out). */
  casePrefixes?: readonly string[];
  /** Tags; a case matches when it carries any of them. */
  tags?: readonly string[];
  /** `true`: any case tied to an incident; a string: that incident. */
  incident?: true | string;
  /**
   * Only these cases (`dataset\0caseId`): `--failing <run-dir>` (see {@link readFailingCases}),
   * or the selection a resumed run recorded. `label` is how it reads as flags.
   */
  only?: { label: string; keys: ReadonlySet<string> };
  /** Keep at most this many cases. */
  limit?: number;
}

/** Cases read at a time to check their labels. */
const LABEL_READ_AHEAD = 64;

/** True when the filter selects a subset (any flag given). */
export function isFiltering(f: CaseFilter): boolean {
  return Boolean(f.casePrefixes?.length || f.tags?.length || f.incident !== undefined || f.only || f.limit !== undefined);
}

/** The items the filter keeps, in their order; a prefix that matches no case, or an empty result, is a usage error. */
export async function selectItems<T extends PlanItem<Pick<Case, 'id' | 'labels'>>>(items: readonly T[], f: CaseFilter): Promise<T[]> {
  const prefixes = (f.casePrefixes ?? []).map((p) => (p.startsWith('c_') ? p : `c_${p}`));
  const unmatched = prefixes.filter((p) => !items.some((i) => itemId(i).startsWith(p)));
  if (unmatched.length > 0) {
    throw new UsageError('--case matches no case of the datasets run', { expected: 'a case id or unique prefix, e.g. c_3f9a (see `evals datasets show <name>`)', found: unmatched.join(', ') });
  }
  // What the ids decide first, so only those cases are read for their labels.
  const byId = items.filter((i) => (prefixes.length === 0 || prefixes.some((p) => itemId(i).startsWith(p))) && (!f.only || f.only.keys.has(`${i.dataset}\u0000${itemId(i)}`)));
  const limit = f.limit ?? Number.POSITIVE_INFINITY;
  let kept: T[];
  if (!f.tags?.length && f.incident === undefined) kept = byId.slice(0, limit);
  else {
    kept = [];
    for await (const [item, c] of readAhead(byId, loadItem, LABEL_READ_AHEAD)) {
      const { tags, incident } = c.labels;
      if (f.tags?.length && !f.tags.some((t) => tags?.includes(t))) continue;
      if (f.incident !== undefined && (f.incident === true ? !incident : incident !== f.incident)) continue;
      kept.push(item);
      if (kept.length >= limit) break;
    }
  }
  if (kept.length === 0) {
    throw new UsageError('no case matches the filters', { expected: 'at least one case', found: `0 of ${items.length} case(s) for ${describeFilter(f)}` });
  }
  return kept;
}

/** The filter as the flags that made it, for messages and run.json. */
export function describeFilter(f: CaseFilter): string {
  const parts: string[] = [];
  for (const p of f.casePrefixes ?? []) parts.push(`--case ${p}`);
  for (const t of f.tags ?? []) parts.push(`--tag ${t}`);
  if (f.incident !== undefined) parts.push(f.incident === true ? '--incident' : `--incident ${f.incident}`);
  if (f.only) parts.push(f.only.label);
  if (f.limit !== undefined) parts.push(`--limit ${f.limit}`);
  return parts.join(' ');
}

/**
 * The cases a finished (or interrupted) run did not pass: a candidate run that failed or
 * errored, or a comparison verdict of regressed, errored, unscored or unconfirmed.
 */
export async function readFailingCases(dir: string, cwd: string): Promise<{ label: string; keys: Set<string> }> {
  const abs = path.resolve(cwd, dir);
  const label = path.relative(cwd, abs) || abs;
  const record = existsSync(abs) && statSync(abs).isDirectory() ? await readRunRecord(abs) : undefined;
  if (!record) throw new UsageError('--failing needs a run directory', { file: label, expected: 'a directory written by `evals run` (with run.json)', found: existsSync(abs) ? 'no run.json in it' : 'nothing at that path' });
  const keys = new Set<string>();
  for (const r of await readResults(abs)) if (r.role !== 'baseline' && !r.pass) keys.add(`${r.dataset}\u0000${r.caseId}`);
  const bad = new Set(['regressed', 'errored', 'unscored', 'unconfirmed']);
  for (const c of record.comparison?.cases ?? []) if (bad.has(c.verdict)) keys.add(`${c.dataset}\u0000${c.caseId}`);
  return { label: `--failing ${label}`, keys };
}
