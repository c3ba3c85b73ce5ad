/**
 * `evals datasets resolve`: settles the merge conflicts of a dataset (a case curated differently
 * on two branches, or removed on one and curated on another) by writing one version whose parents
 * are all the heads and which keeps the chosen value. Every conflict must be settled in that one
 * version: a version that joins the branches is the record of how they were merged.
 */
import { UsageError } from '../../errors.js';
import { VersionDag } from '../storage/dag.js';
import { loadDataset } from '../storage/dataset-io.js';
import { selectState } from '../storage/dataset-read.js';
import type { CaseConflict } from '../storage/dataset-state.js';
import { describeConflict } from '../storage/conflicts.js';
import { writeVersion } from '../storage/write-version.js';
import type { WriteResult } from '../storage/write-version.js';
import type { LockOptions } from '../../durable/lock.js';

/** One choice: the conflicting case (id or prefix of the base case or a candidate) and what to keep. */
export interface Resolution {
  caseId: string;
  /** A candidate case id (or prefix), a head version id (or prefix) whose value wins, or `removed`. */
  take: string;
}

/** What {@link resolveConflicts} wrote, with the choice made for each conflict. */
export interface ResolveResult extends WriteResult {
  settled: Array<{ caseId: string; kept: string | null }>;
}

const matches = (id: string, prefix: string): boolean => prefix.length >= 4 && id.startsWith(prefix);

/** Settles every conflict of `name` with `choices`; fails naming any conflict left without a choice. */
export async function resolveConflicts(root: string, name: string, choices: readonly Resolution[], opts: { note?: string; lock?: LockOptions } = {}): Promise<ResolveResult> {
  const loaded = await loadDataset(root, name);
  const { state } = await selectState(root, loaded, 'latest');
  const dag = new VersionDag(loaded.nodes);
  if (state.conflicts.length === 0) throw new UsageError(`dataset "${name}" has no merge conflicts`, { field: 'case', expected: 'a dataset that `evals datasets verify` reports conflicts for', found: name });
  const settled: ResolveResult['settled'] = [];
  const remove: string[] = [];
  const used = new Set<Resolution>();
  for (const c of state.conflicts) {
    const choice = choices.find((r) => r.caseId === c.caseId || matches(c.caseId, r.caseId) || c.candidates.some((id) => id === r.caseId || matches(id, r.caseId)));
    if (choice === undefined) continue;
    used.add(choice);
    const kept = pick(c, choice.take, dag, state.heads);
    remove.push(...c.candidates.filter((id) => id !== kept));
    settled.push({ caseId: c.caseId, kept });
  }
  const unknown = choices.filter((r) => !used.has(r));
  if (unknown.length > 0) {
    throw new UsageError('no conflict for this case', { field: 'case', expected: `one of ${state.conflicts.map((c) => c.caseId).join(', ')}`, found: unknown.map((r) => r.caseId).join(', ') });
  }
  const open = state.conflicts.filter((c) => !settled.some((s) => s.caseId === c.caseId));
  if (open.length > 0) {
    throw new UsageError(`${open.length} conflict(s) still need a choice; settle them in the same command`, {
      field: 'case',
      expected: 'a choice for every conflict, e.g. `evals datasets resolve NAME CASE=CHOICE CASE2=CHOICE2`',
      found: open.map((c) => describeConflict(name, c)).join('\n'),
    });
  }
  const result = await writeVersion(root, name, {
    add: [],
    remove,
    resolving: true,
    provenance: { source: 'resolve', traceIds: [...new Set(state.conflicts.map((c) => c.traceId))].sort(), note: opts.note ?? `resolved ${settled.map((s) => `${s.caseId} → ${s.kept ?? 'removed'}`).join(', ')}` },
    ...(opts.lock !== undefined ? { lock: opts.lock } : {}),
  });
  return { ...result, settled };
}

function pick(c: CaseConflict, take: string, dag: VersionDag, heads: readonly string[]): string | null {
  if (take === 'removed' || take === 'remove') {
    if (c.kind !== 'removed') throw new UsageError('"removed" settles only a removed-and-curated conflict', { field: 'take', expected: c.candidates.join(' or '), found: take });
    return null;
  }
  const byCase = c.candidates.filter((id) => id === take || matches(id, take));
  if (byCase.length === 1) return byCase[0] as string;
  const byHead = heads.filter((h) => h === take || (take.length >= 6 && h.startsWith(take)));
  if (byHead.length === 1) {
    const set = dag.caseSet([byHead[0] as string]);
    const inHead = c.candidates.filter((id) => set[id] !== undefined);
    if (inHead.length === 1) return inHead[0] as string;
    if (inHead.length === 0 && c.kind === 'removed') return null;
  }
  throw new UsageError(`cannot tell which value of case ${c.caseId} to keep`, {
    field: 'take',
    expected: `a candidate case id (${c.candidates.join(', ')})${c.kind === 'removed' ? ', "removed"' : ''} or a head version id (${heads.join(', ')})`,
    found: take,
  });
}
