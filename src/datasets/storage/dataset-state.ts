/**
 * The state of a dataset at a set of heads. One head: the case set its writer recorded. Several
 * heads (a git merge that no `evals datasets` write has recorded yet): the observed-remove union
 * of their case sets, then concurrent curations of one case merged field by field
 * (curation/merge-cases.ts). What cannot be merged is a conflict naming the case and every
 * side's value: two different values for one field, or a case removed on one branch and curated
 * on another. Case files are read through an injected loader, so this is tested without disk.
 */
import { caseTitle, computeCaseId } from '../case.js';
import type { Case } from '../case.js';
import { contentHash, renderCaseFile, sha256Hex } from '../format/manifest.js';
import { mergeCuratedCases } from '../curation/merge-cases.js';
import type { FieldConflict } from '../curation/merge-cases.js';
import { caseAncestors } from './dag.js';
import type { VersionDag } from './dag.js';

/** A case the heads of a dataset disagree on; `evals datasets resolve` settles it. */
export interface CaseConflict {
  /** `curation`: two branches curated the case differently; `removed`: removed on one, curated on another. */
  kind: 'curation' | 'removed';
  /** The case both branches started from. */
  caseId: string;
  traceId: string;
  title: string;
  /** The competing present case ids, one per branch. */
  candidates: string[];
  /** For `curation`: the fields that differ, with each candidate's value. */
  fields: FieldConflict[];
  /** For `removed`: the version that removed the case. */
  removedIn?: string;
}

/** The cases of a dataset at some heads, with what a write on top of them must record. */
export interface HeadsState {
  heads: string[];
  /** Case id → file hash of the state. */
  cases: Record<string, string>;
  /** `sha256:` state hash over `cases`. */
  hash: string;
  /** The raw observed-remove set of the heads: what the next version's changes are relative to. */
  base: Record<string, string>;
  /** Cases made by merging concurrent curations, not yet written as files. */
  pending: Map<string, { c: Case; text: string }>;
  /** Lineage of the pending merged cases: merged id → the ids it replaces. */
  replaced: Record<string, string[]>;
  conflicts: CaseConflict[];
}

/** Reads a case file (checked against its hash). */
export type CaseLoader = (id: string, hash: string) => Promise<Case>;

/** Computes the state of `heads`; `load` reads the few cases a curation merge needs. */
export async function stateOf(dag: VersionDag, heads: readonly string[], load: CaseLoader, knownHashes: ReadonlyMap<string, string>): Promise<HeadsState> {
  const base = dag.caseSet(heads);
  const out: HeadsState = { heads: [...heads].sort(), cases: { ...base }, hash: '', base, pending: new Map(), replaced: {}, conflicts: [] };
  if (heads.length > 1) await mergeConcurrent(dag, out, load, knownHashes);
  out.cases = Object.fromEntries(Object.keys(out.cases).sort().map((k) => [k, out.cases[k] as string]));
  out.hash = contentHash(out.cases);
  return out;
}

async function mergeConcurrent(dag: VersionDag, s: HeadsState, load: CaseLoader, hashes: ReadonlyMap<string, string>): Promise<void> {
  const scope = dag.ancestorsOfAll(s.heads);
  const lineage = dag.lineage(scope);
  const present = Object.keys(s.cases);
  const ancestorsOf = new Map(present.map((id) => [id, caseAncestors(id, lineage)]));
  // Group present cases that descend from a common case.
  const byOrigin = new Map<string, string[]>();
  for (const id of present) for (const a of [id, ...(ancestorsOf.get(id) ?? [])]) byOrigin.set(a, [...(byOrigin.get(a) ?? []), id]);
  const groupOf = new Map<string, Set<string>>();
  for (const ids of byOrigin.values()) {
    if (ids.length < 2) continue;
    const merged = new Set<string>(ids.flatMap((id) => [...(groupOf.get(id) ?? [id])]));
    for (const id of merged) groupOf.set(id, merged);
  }
  const loadKnown = (id: string): Promise<Case> => load(id, s.cases[id] ?? hashes.get(id) ?? '');
  for (const group of new Set(groupOf.values())) {
    // A case that is an ancestor of another present case is superseded by it.
    const members = [...group].filter((id) => ![...group].some((o) => o !== id && ancestorsOf.get(o)?.has(id))).sort();
    for (const id of group) if (!members.includes(id)) delete s.cases[id];
    if (members.length < 2) continue;
    const common = members.map((id) => new Set([id, ...(ancestorsOf.get(id) ?? [])])).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
    const baseId = [...common].sort((a, b) => caseAncestors(b, lineage).size - caseAncestors(a, lineage).size || (a < b ? -1 : 1))[0];
    if (baseId === undefined) continue;
    const base = await loadKnown(baseId);
    const sides = await Promise.all(members.map(loadKnown));
    const m = mergeCuratedCases(base, sides);
    if (!m.ok) {
      s.conflicts.push({ kind: 'curation', caseId: baseId, traceId: base.provenance.traceId, title: caseTitle(base), candidates: members, fields: m.conflicts });
      continue;
    }
    const c: Case = { ...m.body, id: computeCaseId(m.body) } as Case;
    const text = renderCaseFile(c);
    for (const id of members) delete s.cases[id];
    s.cases[c.id] = sha256Hex(text);
    if (!members.includes(c.id)) {
      s.pending.set(c.id, { c, text });
      s.replaced[c.id] = members;
    }
  }
  await findRemovedButCurated(dag, s, scope, lineage, loadKnown);
}

/** A case removed (not replaced) on one branch whose curated descendant is present from another. */
async function findRemovedButCurated(dag: VersionDag, s: HeadsState, scope: ReadonlySet<string>, lineage: ReadonlyMap<string, readonly string[]>, load: (id: string) => Promise<Case>): Promise<void> {
  const tombs: Array<{ version: string; caseId: string }> = [];
  for (const v of scope) {
    const n = dag.nodes.get(v);
    if (n === undefined) continue;
    const replacedHere = new Set(Object.values(n.changes.replaced).flat());
    for (const c of n.changes.removed) if (!replacedHere.has(c)) tombs.push({ version: v, caseId: c });
  }
  if (tombs.length === 0) return;
  for (const id of Object.keys(s.cases)) {
    const sources = s.replaced[id] ?? [id];
    for (const t of tombs) {
      const hit = sources.filter((src) => caseAncestors(src, lineage).has(t.caseId));
      const adders = hit.flatMap((src) => dag.addersOf(src, scope));
      const concurrent = adders.some((a) => !dag.isAncestor(t.version, a) && !dag.isAncestor(a, t.version) && !dag.joined(a, t.version, scope));
      if (!concurrent) continue;
      const base = await load(t.caseId);
      s.conflicts.push({ kind: 'removed', caseId: t.caseId, traceId: base.provenance.traceId, title: caseTitle(base), candidates: [id], fields: [], removedIn: t.version });
    }
  }
}
