/**
 * `evals datasets verify`: recomputes every hash of every version. A tampered or missing case
 * file, a version file whose name is not the hash of its bytes, a version whose recorded state
 * hash does not match the replay of its changes, a missing parent, or an unresolved merge conflict
 * (a case curated differently on two branches) is a problem; leftovers of interrupted writes, a
 * dataset created independently on two branches and the 0.1 layout are warnings.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvalsError } from '../../errors.js';
import { computeCaseId } from '../case.js';
import type { VersionNode } from '../format/version-file.js';
import { contentHash, parseCaseFile, sha256Hex } from '../format/manifest.js';
import { VersionDag } from './dag.js';
import { caseFilePath, datasetDir, listDatasetNames, loadDataset, readCase } from './dataset-io.js';
import type { LoadedDataset } from './dataset-io.js';
import { describeConflict } from './conflicts.js';
import { stateOf } from './dataset-state.js';
import type { CaseConflict } from './dataset-state.js';

/** One failed check. */
export interface VerifyProblem {
  dataset: string;
  file: string;
  message: string;
}

/** Result for one dataset. */
export interface DatasetVerification {
  dataset: string;
  versions: number;
  cases: number;
  /** Heads in the working tree; more than one after a git merge no version records yet. */
  heads: string[];
  /** Unresolved merge conflicts of `name@latest` (each also listed as a problem). */
  conflicts: CaseConflict[];
  problems: VerifyProblem[];
  warnings: VerifyProblem[];
}

/** Result of {@link verifyDataset}; `ok` is false when any dataset has a problem. */
export interface VerifyReport {
  ok: boolean;
  datasets: DatasetVerification[];
}

/** Verifies dataset `name`, or every dataset under `root` when omitted. */
export async function verifyDataset(root: string, name?: string): Promise<VerifyReport> {
  const names = name !== undefined ? [name] : await listDatasetNames(root);
  const datasets: DatasetVerification[] = [];
  for (const n of names) datasets.push(await verifyOne(root, n));
  return { ok: datasets.every((d) => d.problems.length === 0), datasets };
}

function describe(err: unknown): string {
  if (err instanceof EvalsError) return [err.message, err.details.expected && `expected ${err.details.expected}`, err.details.found && `found ${err.details.found}`].filter(Boolean).join('; ');
  return String(err);
}

async function verifyOne(root: string, name: string): Promise<DatasetVerification> {
  const dir = datasetDir(root, name);
  const out: DatasetVerification = { dataset: name, versions: 0, cases: 0, heads: [], conflicts: [], problems: [], warnings: [] };
  const problem = (file: string, message: string): void => void out.problems.push({ dataset: name, file, message });
  const warn = (file: string, message: string): void => void out.warnings.push({ dataset: name, file, message });
  let loaded: LoadedDataset;
  try {
    loaded = await loadDataset(root, name);
  } catch (err) {
    problem((err instanceof EvalsError ? err.details.file : undefined) ?? dir, describe(err));
    return out;
  }
  const dag = new VersionDag(loaded.nodes);
  out.versions = dag.nodes.size;
  out.heads = dag.heads();
  const recorded = new Map<string, string>();
  for (const n of dag.nodes.values()) {
    const file = loaded.files.get(n.id) ?? dir;
    for (const p of n.parents) if (!dag.nodes.has(p)) problem(file, `parent version ${p} is missing (was a version file deleted?)`);
    for (const [id, h] of Object.entries(n.changes.added)) {
      const before = recorded.get(id);
      if (before !== undefined && before !== h) problem(file, `case ${id} is recorded with hash ${h.slice(0, 12)}… here but ${before.slice(0, 12)}… in another version`);
      recorded.set(id, h);
    }
  }
  for (const { node: n, cases } of replay(dag)) {
    const actual = contentHash(cases);
    if (actual !== n.hash) problem(loaded.files.get(n.id) ?? dir, `state hash mismatch: recorded ${n.hash}, replaying the versions gives ${actual}`);
  }
  for (const m of loaded.legacy?.manifests ?? []) {
    if (contentHash(m.cases) !== m.hash) problem(join(dir, 'versions', `v${String(m.version).padStart(4, '0')}.yaml`), `manifest hash mismatch: recorded ${m.hash}, recomputed ${contentHash(m.cases)}`);
  }
  if (loaded.layout === '0.1') warn(join(dir, 'dataset.yaml'), 'written by evals 0.1 (numbered versions, which conflict when two branches add one); run `evals datasets migrate` (writes migrate automatically)');
  const roots = dag.roots();
  if (roots.length > 1) {
    const salts = new Set(roots.map((r) => dag.nodes.get(r)?.dataset?.redaction.salt));
    warn(dir, `dataset was created independently on ${roots.length} branches (root versions ${roots.join(', ')})${salts.size > 1 ? '; each redacted with its own salt, so one value has different placeholders in their cases; new writes use the salt of the oldest root' : ''}`);
  }

  const traceOf = new Map<string, string>();
  for (const [id, hash] of recorded) await checkCase(root, name, id, hash, problem, traceOf);
  out.cases = recorded.size;
  if (out.heads.length > 0 && out.problems.length === 0) {
    try {
      const s = await stateOf(dag, out.heads, (id, h) => readCase(root, name, id, h), recorded);
      out.conflicts = s.conflicts;
      for (const c of s.conflicts) problem(caseFilePath(root, name, c.caseId), `merge conflict: ${describeConflict(name, c)}`);
      const inConflict = new Set(s.conflicts.flatMap((c) => c.candidates));
      warnDuplicateTraces(root, name, Object.keys(s.cases).filter((id) => !inConflict.has(id)), (id) => s.pending.get(id)?.c.provenance.traceId ?? traceOf.get(id), warn);
    } catch (err) {
      problem(dir, describe(err));
    }
  }
  await findLeftovers(dir, loaded, recorded, warn);
  return out;
}

function warnDuplicateTraces(root: string, name: string, ids: readonly string[], traceOf: (id: string) => string | undefined, warn: (file: string, msg: string) => void): void {
  const byTrace = new Map<string, string[]>();
  for (const id of ids) {
    const t = traceOf(id);
    if (t !== undefined) byTrace.set(t, [...(byTrace.get(t) ?? []), id]);
  }
  for (const [trace, list] of byTrace) if (list.length > 1) warn(caseFilePath(root, name, list[0] as string), `trace ${trace} is captured by ${list.length} cases (${list.join(', ')}), e.g. snapshotted on two branches; \`evals datasets rm\` the one you do not want`);
}

/**
 * The case set of every version, parents first. A version with one parent is its parent's set
 * plus its changes (what its writer recorded); only merges need the full observed-remove
 * computation. A set is dropped once all children have used it, so memory stays small.
 */
function* replay(dag: VersionDag): Generator<{ node: VersionNode; cases: Record<string, string> }> {
  const sets = new Map<string, Record<string, string>>();
  const pending = new Map<string, number>();
  for (const id of dag.topological()) {
    const n = dag.nodes.get(id) as VersionNode;
    const parent = n.parents.length === 1 ? sets.get(n.parents[0] as string) : undefined;
    let cases: Record<string, string>;
    if (parent !== undefined) {
      cases = { ...parent };
      for (const c of n.changes.removed) delete cases[c];
      Object.assign(cases, n.changes.added);
    } else cases = dag.caseSet([id]);
    yield { node: n, cases };
    for (const p of n.parents) {
      const left = (pending.get(p) ?? dag.childrenOf(p).length) - 1;
      pending.set(p, left);
      if (left <= 0) sets.delete(p);
    }
    if (dag.childrenOf(id).length > 0) sets.set(id, cases);
  }
}

async function checkCase(root: string, name: string, id: string, hash: string, problem: (file: string, msg: string) => void, traceOf: Map<string, string>): Promise<void> {
  const file = caseFilePath(root, name, id);
  if (!existsSync(file)) return problem(file, `case file missing (listed in a version)`);
  const text = await readFile(file, 'utf8');
  const actual = sha256Hex(text);
  if (actual !== hash) problem(file, `case file was modified: sha256 ${actual.slice(0, 16)}…, its version records ${hash.slice(0, 16)}…`);
  try {
    const c = parseCaseFile(text, file);
    traceOf.set(id, c.provenance.traceId);
    if (c.id !== id) problem(file, `field id is ${c.id}, expected ${id} (the file name)`);
    const { id: _id, ...body } = c;
    const computed = computeCaseId(body);
    if (computed !== id) problem(file, `content no longer matches its id: recomputed ${computed}`);
  } catch (err) {
    problem(file, describe(err));
  }
}

async function findLeftovers(dir: string, loaded: LoadedDataset, recorded: Map<string, string>, warn: (file: string, msg: string) => void): Promise<void> {
  const list = async (d: string): Promise<string[]> => readdir(d).catch(() => [] as string[]);
  const latest = loaded.legacy?.meta.latest ?? 0;
  for (const f of await list(join(dir, 'versions'))) {
    const m = /^v(\d+)\.yaml$/.exec(f);
    if (f.includes('.tmp-')) warn(join(dir, 'versions', f), 'temporary file left by an interrupted write; safe to delete (the next write removes it)');
    else if (m !== null && Number(m[1]) > latest) warn(join(dir, 'versions', f), loaded.layout === '0.1' ? 'unpublished version (an interrupted write); the next write replaces it' : 'numbered 0.1 version file left after migration; not read, safe to delete');
  }
  for (const f of await list(join(dir, 'cases'))) {
    const id = f.replace(/\.json$/, '');
    if (f.includes('.tmp-')) warn(join(dir, 'cases', f), 'temporary file left by an interrupted write; safe to delete (the next write removes it)');
    else if (f.endsWith('.json') && !recorded.has(id)) warn(join(dir, 'cases', f), 'case file in no version (an interrupted write); a later write may reuse it');
  }
  if (existsSync(join(dir, '.lock'))) warn(join(dir, '.lock'), 'lock file present: a write is running or was killed (it is broken automatically when its process is gone)');
}
