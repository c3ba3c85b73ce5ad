/**
 * The cases of the exact dataset versions a run used, found by id and read one at a time when
 * a report reaches them (never every case at once). A case id in several datasets resolves to
 * the last one listed, as the run's reports always did.
 */
import { caseTitle, type Case } from '../datasets/case.js';
import { conflictError } from '../datasets/storage/conflicts.js';
import { loadDataset, readCaseSync } from '../datasets/storage/dataset-io.js';
import { selectState } from '../datasets/storage/dataset-read.js';
import { PackedHashes } from '../datasets/storage/packed-hashes.js';
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
  const where = new CaseLocations();
  for (const [d, ref] of datasets.entries()) {
    const loaded = await loadDataset(root, ref.name);
    const { state } = await selectState(root, loaded, ref.version);
    if (state.conflicts.length > 0) throw conflictError(ref.name, state.conflicts, `${root}/${ref.name}`);
    for (const id of Object.keys(state.cases).sort()) where.set(id, d, state.cases[id]!, state.pending.get(id)?.c);
  }
  return lookupOver(root, datasets.map((d) => d.name), where, known);
}

/** A case the run planned: its dataset (index into `datasets`), id and pinned hash. */
export interface PlannedCase {
  dataset: number;
  id: string;
  hash: string;
}

/**
 * The lookup of {@link openCaseLookup} from what the run's plan already knows of each case, so
 * the version files are not read and parsed again (≈0.1 s at 10,000 cases, ≈1 s at 100,000).
 * `cases` in the order the plan lists them (dataset by dataset, as the versions are listed).
 */
export function caseLookupOf(root: string, datasets: readonly string[], cases: Iterable<PlannedCase>, known?: KnownCases): CaseLookup {
  const where = new CaseLocations();
  for (const c of cases) where.set(c.id, c.dataset, c.hash, undefined);
  return lookupOver(root, datasets, where, known);
}

function lookupOver(root: string, names: readonly string[], where: CaseLocations, known: KnownCases | undefined): CaseLookup {
  const get = (id: string): Case | undefined => {
    const row = where.row(id);
    if (row === undefined) return undefined;
    return scrubValue(where.pending(id) ?? readCaseSync(root, names[where.dataset(row)]!, id, where.hash(row)));
  };
  const keyOf = (id: string): string | undefined => {
    const row = where.row(id);
    return row === undefined ? undefined : `${names[where.dataset(row)]}\u0000${id}`;
  };
  const knownBrief = known && ((id: string): CaseBrief | undefined => {
    const key = keyOf(id);
    return key === undefined ? undefined : known.brief(key);
  });
  const line = (id: string): string | undefined => {
    const key = known && keyOf(id);
    return key === undefined ? undefined : known!.line(key);
  };
  return { has: (id) => where.row(id) !== undefined, get, ids: () => where.ids(), brief: briefsOver(get, knownBrief), line };
}

/**
 * Where each case is: its dataset (index into the run's list) and the hash its file must have,
 * packed (PackedHashes) — no object and 64-character string per case. The last dataset listed
 * wins for an id in several; its place in `ids()` moves to the end, as a Map's would.
 */
class CaseLocations {
  private readonly rows = new Map<string, number>();
  private datasets = new Uint16Array(1024);
  private readonly hashes = new PackedHashes();
  /** Cases still pending in a version being written. */
  private readonly held = new Map<string, Case>();

  set(id: string, dataset: number, hash: string, pending: Case | undefined): void {
    const row = this.hashes.add(hash);
    this.rows.delete(id);
    this.rows.set(id, row);
    if (row >= this.datasets.length) {
      const datasets = new Uint16Array(this.datasets.length * 2);
      datasets.set(this.datasets);
      this.datasets = datasets;
    }
    this.datasets[row] = dataset;
    if (pending) this.held.set(id, pending);
    else this.held.delete(id);
  }

  row(id: string): number | undefined {
    return this.rows.get(id);
  }

  dataset(row: number): number {
    return this.datasets[row]!;
  }

  hash(row: number): string {
    return this.hashes.get(row);
  }

  pending(id: string): Case | undefined {
    return this.held.get(id);
  }

  ids(): Iterable<string> {
    return this.rows.keys();
  }
}

/** A lookup over cases a caller already holds (the Vitest integration). */
export function lookupOfMap(cases: ReadonlyMap<string, Case>): CaseLookup {
  const get = (id: string): Case | undefined => {
    const c = cases.get(id);
    return c && scrubValue(c);
  };
  return { has: (id) => cases.has(id), get, ids: () => cases.keys(), brief: briefsOver(get), line: () => undefined };
}
