/**
 * The version DAG of one dataset, pure. Heads are the versions no other version names as a
 * parent. The case set of any set of heads is an observed-remove set: a case is present when
 * some ancestor version added it and no ancestor version that had seen that addition removed it.
 * For one head this is exactly the state its writer recorded; for several heads (after a git
 * merge) it is the union of additions with every removal applied, whatever order git merged in.
 */
import type { VersionNode } from '../format/version-file.js';

/**
 * The versions of one dataset by id. Reachability is answered by walks pruned with each
 * version's generation (longest path from a root), so memory stays linear in the number of
 * versions and the common question — did this removal see that addition, a few versions
 * earlier? — walks only the versions in between.
 */
export class VersionDag {
  private readonly children = new Map<string, string[]>();
  private readonly gen = new Map<string, number>();

  constructor(readonly nodes: ReadonlyMap<string, VersionNode>) {
    for (const n of nodes.values()) for (const p of n.parents) if (nodes.has(p)) this.children.set(p, [...(this.children.get(p) ?? []), n.id]);
    // Kahn's order; versions on a cycle (only possible in hand-edited files) keep generation 0.
    const waiting = new Map([...nodes.values()].map((n) => [n.id, n.parents.filter((p) => nodes.has(p)).length]));
    const ready = [...waiting].filter(([, k]) => k === 0).map(([id]) => id);
    while (ready.length > 0) {
      const id = ready.pop() as string;
      const g = Math.max(-1, ...(nodes.get(id)?.parents ?? []).map((p) => this.gen.get(p) ?? -1)) + 1;
      this.gen.set(id, g);
      for (const c of this.children.get(id) ?? []) {
        const k = (waiting.get(c) ?? 1) - 1;
        waiting.set(c, k);
        if (k === 0) ready.push(c);
      }
    }
  }

  /** Every version, parents before children (versions on a cycle last). */
  topological(): string[] {
    return [...this.nodes.keys()].sort((x, y) => (this.gen.get(x) ?? Infinity) - (this.gen.get(y) ?? Infinity) || (x < y ? -1 : 1));
  }

  /** Longest path from a root to `id` (0 for roots). */
  generation(id: string): number {
    return this.gen.get(id) ?? 0;
  }

  /** Versions naming `id` as a parent. */
  childrenOf(id: string): readonly string[] {
    return this.children.get(id) ?? [];
  }

  /** Versions no other version names as a parent, sorted. */
  heads(): string[] {
    const named = new Set<string>();
    for (const n of this.nodes.values()) for (const p of n.parents) named.add(p);
    return [...this.nodes.keys()].filter((id) => !named.has(id)).sort();
  }

  /** Roots (versions without parents), sorted. */
  roots(): string[] {
    return [...this.nodes.values()].filter((n) => n.parents.length === 0).map((n) => n.id).sort();
  }

  private walk(from: readonly string[], next: (id: string) => readonly string[], keep: (id: string) => boolean = () => true): Set<string> {
    const seen = new Set<string>();
    const todo = from.filter((id) => this.nodes.has(id));
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next(id)) if (!seen.has(n) && this.nodes.has(n) && keep(n)) todo.push(n);
    }
    return seen;
  }

  /** `id` and all its ancestors present in the DAG (missing parents are skipped; `verify` reports them). */
  ancestors(id: string): ReadonlySet<string> {
    return this.walk([id], (v) => this.nodes.get(v)?.parents ?? []);
  }

  /** Union of the ancestor sets of `heads` (inclusive). */
  ancestorsOfAll(heads: readonly string[]): Set<string> {
    return this.walk(heads, (v) => this.nodes.get(v)?.parents ?? []);
  }

  /** True when `a` is `d` or one of its ancestors. */
  isAncestor(a: string, d: string): boolean {
    if (a === d) return true;
    const ga = this.gen.get(a) ?? 0;
    return this.walk([d], (v) => this.nodes.get(v)?.parents ?? [], (v) => (this.gen.get(v) ?? 0) >= ga).has(a);
  }

  /** True when some version in `within` has both `a` and `b` among its ancestors (a merge saw both). */
  joined(a: string, b: string, within: ReadonlySet<string>): boolean {
    const below = (x: string): Set<string> => this.walk([x], (v) => this.children.get(v) ?? []);
    const fromB = below(b);
    for (const v of below(a)) if (fromB.has(v) && within.has(v)) return true;
    return false;
  }

  /** Case id → file hash of the merged state of `heads` (observed-remove set over their ancestry). */
  caseSet(heads: readonly string[]): Record<string, string> {
    const scope = this.ancestorsOfAll(heads);
    const adds = new Map<string, { hash: string; by: string[] }>();
    const removes = new Map<string, string[]>();
    for (const id of scope) {
      const n = this.nodes.get(id);
      if (n === undefined) continue;
      for (const [c, h] of Object.entries(n.changes.added)) {
        const e = adds.get(c);
        if (e === undefined) adds.set(c, { hash: h, by: [id] });
        else e.by.push(id);
      }
      for (const c of n.changes.removed) removes.set(c, [...(removes.get(c) ?? []), id]);
    }
    const out: Record<string, string> = {};
    for (const [c, { hash, by }] of adds) {
      const rms = removes.get(c) ?? [];
      if (by.some((a) => !rms.some((r) => this.isAncestor(a, r)))) out[c] = hash;
    }
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k] as string]));
  }

  /** Versions in the ancestry of `heads` that added case `id`. */
  addersOf(id: string, scope: ReadonlySet<string>): string[] {
    return [...scope].filter((v) => this.nodes.get(v)?.changes.added[id] !== undefined);
  }

  /** Curation lineage within the ancestry of `heads`: case id → the ids it replaced. */
  lineage(scope: ReadonlySet<string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const v of scope) for (const [c, olds] of Object.entries(this.nodes.get(v)?.changes.replaced ?? {})) out.set(c, [...new Set([...(out.get(c) ?? []), ...olds])]);
    return out;
  }
}

/** All earlier case ids a case descends from through curation (exclusive), following `lineage`. */
export function caseAncestors(id: string, lineage: ReadonlyMap<string, readonly string[]>): Set<string> {
  const out = new Set<string>();
  const todo = [...(lineage.get(id) ?? [])];
  while (todo.length > 0) {
    const c = todo.pop() as string;
    if (out.has(c) || c === id) continue;
    out.add(c);
    todo.push(...(lineage.get(c) ?? []));
  }
  return out;
}
