/**
 * Read-side operations over a dataset: one state with its cases (`name@latest` = the merge of
 * every head in the working tree; a hash prefix = that exact version or state; a 0.1 number),
 * the list of datasets, the version log (a DAG, newest first) and the difference between two states.
 */
import { NotFoundError } from '../../errors.js';
import type { Case } from '../case.js';
import type { VersionProvenance } from '../format/manifest.js';
import type { VersionNode } from '../format/version-file.js';
import { VersionDag } from './dag.js';
import { listDatasetNames, loadDataset, readCase } from './dataset-io.js';
import type { LoadedDataset, VersionSelector } from './dataset-io.js';
import { stateOf } from './dataset-state.js';
import type { CaseConflict, HeadsState } from './dataset-state.js';
import { conflictError } from './conflicts.js';

export { diffVersions } from './dataset-diff.js';
export type { CaseBrief, VersionDiff } from './dataset-diff.js';

const READ_BATCH = 64;

/** What the root version(s) say about a dataset. */
export interface DatasetInfo {
  name: string;
  description?: string;
  created: string;
  layout: 'dag' | '0.1';
  /** The salt new writes use (see redaction/redact.ts). */
  redaction: { scheme: 'hmac-sha256'; salt: string };
  /** More than one root means the dataset was created independently on two branches. */
  roots: string[];
  heads: string[];
}

/** A state of a dataset: one version, or the merge of several heads. */
export interface VersionState extends HeadsState {
  /** The version id, or the head ids joined by `+` for a merge no version records yet. */
  version: string;
  /** 0.1 number of this version, when it was migrated from one. */
  number?: number;
  /** Newest `created` among the heads. */
  created: string;
  /** The single head's version file, when there is one head. */
  node?: VersionNode;
}

/** One state read from disk: dataset info, the state and its cases (sorted by id). */
export interface DatasetVersion {
  meta: DatasetInfo;
  manifest: VersionState;
  cases: Case[];
}

/** Dataset info from its root versions; with several roots the oldest (then smallest id) decides. */
export function datasetInfo(d: LoadedDataset, dag: VersionDag): DatasetInfo {
  const roots = dag.roots();
  const chosen = roots.map((id) => dag.nodes.get(id) as VersionNode).sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1))[0];
  const legacy = d.legacy?.meta;
  const origin = chosen?.dataset ?? (legacy ? { ...(legacy.description !== undefined ? { description: legacy.description } : {}), redaction: legacy.redaction } : undefined);
  return {
    name: d.name,
    ...(origin?.description !== undefined ? { description: origin.description } : {}),
    created: chosen?.created ?? legacy?.created ?? '',
    layout: d.layout,
    redaction: origin?.redaction ?? { scheme: 'hmac-sha256', salt: '' },
    roots,
    heads: dag.heads(),
  };
}

/** Every version id and 0.1 file hash known to a dataset: case id → file hash. */
function knownHashes(dag: VersionDag): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of dag.nodes.values()) for (const [id, h] of Object.entries(n.changes.added)) out.set(id, h);
  return out;
}

/** Options of {@link readVersion}. */
export interface ReadOptions {
  /** Return a state with unresolved conflicts instead of throwing (verify, show, resolve). */
  allowConflicts?: boolean;
}

/** The state of `loaded` selected by `version`, without reading every case. */
export async function selectState(root: string, loaded: LoadedDataset, version: VersionSelector): Promise<{ meta: DatasetInfo; state: VersionState; dag: VersionDag }> {
  const dag = new VersionDag(loaded.nodes);
  const meta = datasetInfo(loaded, dag);
  const load = (id: string, hash: string): Promise<Case> => readCase(root, loaded.name, id, hash);
  const hashes = knownHashes(dag);
  const at = async (heads: string[]): Promise<VersionState> => {
    const s = await stateOf(dag, heads, load, hashes);
    const nodes = heads.map((h) => dag.nodes.get(h) as VersionNode);
    const single = nodes.length === 1 ? nodes[0] : undefined;
    return { ...s, version: heads.join('+'), created: nodes.map((n) => n.created).sort().at(-1) ?? '', ...(single?.number !== undefined ? { number: single.number } : {}), ...(single ? { node: single } : {}) };
  };
  const file = `${root}/${loaded.name}`;
  if (version === 'latest') {
    if (meta.heads.length === 0) throw new NotFoundError(`dataset "${loaded.name}" has no versions yet`, { file, expected: 'a snapshot or import first' });
    return { meta, state: await at(meta.heads), dag };
  }
  if (typeof version === 'number') {
    const hit = [...dag.nodes.values()].find((n) => n.number === version);
    const numbers = [...dag.nodes.values()].flatMap((n) => (n.number !== undefined ? [n.number] : [])).sort((a, b) => a - b);
    if (hit === undefined) {
      throw new NotFoundError(`dataset "${loaded.name}" has no version ${version}`, {
        file,
        expected: numbers.length > 0 ? `a 0.1 version number from ${numbers[0]} to ${numbers.at(-1)}, or a hash prefix` : 'a hash prefix (numbers exist only for versions written by 0.1); see `evals datasets log`',
        found: String(version),
      });
    }
    return { meta, state: await at([hit.id]), dag };
  }
  return { meta, state: await byPrefix(loaded.name, file, dag, meta.heads, version, at), dag };
}

async function byPrefix(name: string, file: string, dag: VersionDag, heads: string[], prefix: string, at: (heads: string[]) => Promise<VersionState>): Promise<VersionState> {
  const found = new Map<string, string[]>(); // state hash → heads
  const labels = new Map<string, string>();
  for (const n of dag.nodes.values()) {
    if (n.id.startsWith(prefix) || n.hash.slice('sha256:'.length).startsWith(prefix)) {
      if (!found.has(n.hash) || n.id.startsWith(prefix)) found.set(n.hash, [n.id]);
      labels.set(n.hash, `${n.id} (state ${n.hash.slice(7, 19)})`);
    }
  }
  if (found.size === 0 && heads.length > 1) {
    const merged = await at(heads);
    if (merged.hash.slice('sha256:'.length).startsWith(prefix)) return merged;
  }
  if (found.size === 1) return at([...found.values()][0] as string[]);
  throw new NotFoundError(found.size === 0 ? `dataset "${name}" has no version or state ${prefix}` : `version prefix "${prefix}" is ambiguous`, {
    file,
    expected: found.size === 0 ? 'a version id or state hash prefix listed by `evals datasets log`' : `a longer prefix: one of ${[...labels.values()].join(', ')}`,
    found: prefix,
  });
}

/** One state's case ids, with a reader per case: only the version files are read up front. */
export interface VersionIndex {
  meta: DatasetInfo;
  manifest: VersionState;
  /** Case ids, sorted. */
  ids: string[];
  /** Reads one case of the state, checking its pinned hash and validating it (InputError naming the file). */
  read: (id: string) => Promise<Case>;
  /**
   * Reads case `id` checking it against `hash` (from `manifest.cases`). Holds neither the state
   * nor its case table: a caller that keeps each case's hash itself can let both go.
   */
  readPinned: (id: string, hash: string) => Promise<Case>;
}

/**
 * The reader of {@link VersionIndex.readPinned}, in a scope of its own: a closure keeps every
 * variable its enclosing function shares with other closures, and the state (two tables of every
 * case id and hash, 12 MB at 100,000 cases) must not ride along.
 */
function pinnedReader(root: string, name: string, pending: VersionState['pending']): (id: string, hash: string) => Promise<Case> {
  return (id, hash) => {
    const held = pending.get(id);
    return held ? Promise.resolve(held.c) : readCase(root, name, id, hash);
  };
}

/** Opens one state of dataset `name` (default: the merged heads) without reading its cases. */
export async function openVersion(root: string, name: string, version: VersionSelector = 'latest', opts: ReadOptions = {}): Promise<VersionIndex> {
  const loaded = await loadDataset(root, name);
  const { meta, state } = await selectState(root, loaded, version);
  if (state.conflicts.length > 0 && opts.allowConflicts !== true) throw conflictError(name, state.conflicts, `${root}/${name}`);
  // Merged cases no version records yet exist only in memory (state.pending).
  const readPinned = pinnedReader(root, name, state.pending);
  const read = (id: string): Promise<Case> => readPinned(id, state.cases[id] as string);
  return { meta, manifest: state, ids: Object.keys(state.cases).sort(), read, readPinned };
}

/** Reads one state of dataset `name` (default: the merged heads) with its cases, validating every file. */
export async function readVersion(root: string, name: string, version: VersionSelector = 'latest', opts: ReadOptions = {}): Promise<DatasetVersion> {
  const { meta, manifest, ids, read } = await openVersion(root, name, version, opts);
  const cases: Case[] = [];
  // Bounded batches: a dataset of thousands of cases must not open thousands of files at once.
  for (let i = 0; i < ids.length; i += READ_BATCH) cases.push(...(await Promise.all(ids.slice(i, i + READ_BATCH).map(read))));
  return { meta, manifest, cases };
}

/** A row of `evals datasets list`. */
export interface DatasetSummary {
  name: string;
  description?: string;
  /** The state `name@latest` reads: a version id, or head ids joined by `+`. */
  latest: string;
  heads: number;
  cases: number;
  /** State hash of `name@latest`, empty when none. */
  hash: string;
  updated?: string;
  conflicts: number;
}

/** Lists the datasets under `root`, sorted by name. */
export async function listDatasets(root: string): Promise<DatasetSummary[]> {
  const out: DatasetSummary[] = [];
  for (const name of await listDatasetNames(root)) {
    const loaded = await loadDataset(root, name);
    const dag = new VersionDag(loaded.nodes);
    const meta = datasetInfo(loaded, dag);
    const s = meta.heads.length > 0 ? (await selectState(root, loaded, 'latest')).state : undefined;
    out.push({
      name,
      ...(meta.description !== undefined ? { description: meta.description } : {}),
      latest: s?.version ?? '',
      heads: meta.heads.length,
      cases: s ? Object.keys(s.cases).length : 0,
      hash: s?.hash ?? '',
      ...(s ? { updated: s.created } : {}),
      conflicts: s?.conflicts.length ?? 0,
    });
  }
  return out;
}

/** One entry of `evals datasets log`. */
export interface LogEntry {
  version: string;
  number?: number;
  parents: string[];
  /** True when no other version names this one as a parent. */
  head: boolean;
  created: string;
  hash: string;
  cases: number;
  added: string[];
  removed: string[];
  provenance: VersionProvenance;
}

/** Every version of a dataset, newest first (children above parents), merges listing both parents. */
export async function logDataset(root: string, name: string): Promise<LogEntry[]> {
  const loaded = await loadDataset(root, name);
  const dag = new VersionDag(loaded.nodes);
  const heads = new Set(dag.heads());
  // Newest first; a merge and the change written with it share a time, so a child sorts above its parent.
  const nodes = [...dag.nodes.values()].sort((a, b) => (a.created > b.created ? -1 : a.created < b.created ? 1 : dag.generation(b.id) - dag.generation(a.id) || (a.id < b.id ? -1 : 1)));
  return nodes.map((n) => ({
    version: n.id,
    ...(n.number !== undefined ? { number: n.number } : {}),
    parents: n.parents,
    head: heads.has(n.id),
    created: n.created,
    hash: n.hash,
    cases: Object.keys(dag.caseSet([n.id])).length,
    added: Object.keys(n.changes.added).sort(),
    removed: [...n.changes.removed].sort(),
    provenance: n.provenance,
  }));
}

export type { CaseConflict };
