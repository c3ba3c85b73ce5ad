/**
 * The cases of the exact dataset versions a run used, found by id and read one at a time when
 * a report reaches them (never every case at once). A case id in several datasets resolves to
 * the last one listed, as the run's reports always did.
 */
import { caseTitle, type Case } from '../datasets/case.js';
import { conflictError } from '../datasets/storage/conflicts.js';
import { loadDataset, readCaseSync } from '../datasets/storage/dataset-io.js';
import { selectState } from '../datasets/storage/dataset-read.js';
import { scrubValue } from '../secrets/scrub.js';

export interface CaseLookup {
  has(id: string): boolean;
  /** The case, secrets scrubbed; undefined when no dataset of the run has it. */
  get(id: string): Case | undefined;
  /** Every case id. */
  ids(): Iterable<string>;
  /** What most report passes need of a case (title, tags, incident), kept after the first read. */
  brief(id: string): CaseBrief | undefined;
  /** The case's HTML report line when one was kept (see KnownCases); undefined: render it from `get`. */
  line(id: string): string | undefined;
}

/** What a caller already holds of cases it read, by `dataset\0id` (`evals run`: case-spool.ts). */
export interface KnownCases {
  brief(key: string): CaseBrief | undefined;
  /** `jsonForScript(caseData(case))` of the scrubbed case, or undefined. */
  line(key: string): string | undefined;
}

/** The small part of a case kept per id: reports re-read the whole case only for its detail line. */
export interface CaseBrief {
  title: string;
  tags: string[];
  incident?: string;
}

/** The brief of a case (as read: scrub it, or pass a scrubbed case). */
export function caseBrief(c: Case): CaseBrief {
  return { title: caseTitle(c), tags: c.labels.tags, ...(c.labels.incident !== undefined ? { incident: c.labels.incident } : {}) };
}

function briefsOver(get: (id: string) => Case | undefined, known?: (id: string) => CaseBrief | undefined): (id: string) => CaseBrief | undefined {
  const kept = new Map<string, CaseBrief>();
  return (id) => {
    let b = kept.get(id) ?? known?.(id);
    if (b) return b;
    const c = get(id);
    if (!c) return undefined;
    b = caseBrief(c);
    kept.set(id, b);
    return b;
  };
}

/**
 * Finds cases by id in the pinned datasets (their version files are read now, the cases later).
 * `known`: what the caller kept of the cases it read (`evals run`: one brief and one report line
 * per case it ran), so the reports do not read those case files again.
 */
export async function openCaseLookup(root: string, datasets: ReadonlyArray<{ name: string; version: string | number }>, known?: KnownCases): Promise<CaseLookup> {
  const where = new Map<string, { name: string; hash: string; pending?: Case }>();
  for (const ref of datasets) {
    const loaded = await loadDataset(root, ref.name);
    const { state } = await selectState(root, loaded, ref.version);
    if (state.conflicts.length > 0) throw conflictError(ref.name, state.conflicts, `${root}/${ref.name}`);
    for (const id of Object.keys(state.cases).sort()) {
      const pending = state.pending.get(id)?.c;
      where.delete(id);
      where.set(id, { name: ref.name, hash: state.cases[id]!, ...(pending ? { pending } : {}) });
    }
  }
  const get = (id: string): Case | undefined => {
    const at = where.get(id);
    return at && scrubValue(at.pending ?? readCaseSync(root, at.name, id, at.hash));
  };
  const keyOf = (id: string): string | undefined => {
    const at = where.get(id);
    return at && `${at.name}\u0000${id}`;
  };
  const knownBrief = known && ((id: string): CaseBrief | undefined => {
    const key = keyOf(id);
    return key === undefined ? undefined : known.brief(key);
  });
  const line = (id: string): string | undefined => {
    const key = known && keyOf(id);
    return key === undefined ? undefined : known!.line(key);
  };
  return { has: (id) => where.has(id), get, ids: () => where.keys(), brief: briefsOver(get, knownBrief), line };
}

/** A lookup over cases a caller already holds (the Vitest integration). */
export function lookupOfMap(cases: ReadonlyMap<string, Case>): CaseLookup {
  const get = (id: string): Case | undefined => {
    const c = cases.get(id);
    return c && scrubValue(c);
  };
  return { has: (id) => cases.has(id), get, ids: () => cases.keys(), brief: briefsOver(get), line: () => undefined };
}
