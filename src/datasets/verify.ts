/**
 * `evals datasets verify`: recomputes every hash of every version. A tampered or missing case
 * file, a manifest whose hash or change list does not add up, or a broken parent chain is a
 * problem (verification fails); leftovers of interrupted writes are warnings.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EvalsError } from '../errors.js';
import { computeCaseId } from './case.js';
import { caseFilePath, datasetDir, listDatasetNames, readManifest, readMeta } from './dataset-io.js';
import { contentHash, parseCaseFile, sha256Hex } from './manifest.js';
import type { VersionManifest } from './manifest.js';

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
  return err instanceof EvalsError ? err.message : String(err);
}

async function verifyOne(root: string, name: string): Promise<DatasetVerification> {
  const dir = datasetDir(root, name);
  const out: DatasetVerification = { dataset: name, versions: 0, cases: 0, problems: [], warnings: [] };
  const problem = (file: string, message: string): void => void out.problems.push({ dataset: name, file, message });
  const warn = (file: string, message: string): void => void out.warnings.push({ dataset: name, file, message });
  let latest: number;
  try {
    latest = (await readMeta(root, name)).latest;
  } catch (err) {
    problem(join(dir, 'dataset.yaml'), describe(err));
    return out;
  }

  const recorded = new Map<string, string>();
  let prev: VersionManifest | undefined;
  for (let v = 1; v <= latest; v++) {
    let m: VersionManifest;
    try {
      m = await readManifest(root, name, v);
    } catch (err) {
      problem(join(dir, 'versions'), describe(err));
      prev = undefined;
      continue;
    }
    out.versions++;
    const file = join(dir, 'versions', `v${String(v).padStart(4, '0')}.yaml`);
    const expectedParent = v === 1 ? null : v - 1;
    if (m.parent !== expectedParent) problem(file, `parent is ${m.parent}, expected ${expectedParent}`);
    const actual = contentHash(m.cases);
    if (actual !== m.hash) problem(file, `manifest hash mismatch: recorded ${m.hash}, recomputed ${actual}`);
    if (prev !== undefined) checkChanges(prev, m, (msg) => problem(file, msg));
    for (const [id, h] of Object.entries(m.cases)) {
      const before = recorded.get(id);
      if (before !== undefined && before !== h) problem(file, `case ${id} is recorded with hash ${h.slice(0, 12)}… here but ${before.slice(0, 12)}… in an earlier version`);
      recorded.set(id, h);
    }
    prev = m;
  }

  for (const [id, hash] of recorded) await checkCase(root, name, id, hash, problem);
  out.cases = recorded.size;
  await findLeftovers(dir, latest, recorded, warn);
  return out;
}

function checkChanges(parent: VersionManifest, m: VersionManifest, report: (msg: string) => void): void {
  const added = Object.keys(m.cases).filter((id) => parent.cases[id] === undefined).sort();
  const removed = Object.keys(parent.cases).filter((id) => m.cases[id] === undefined).sort();
  if (added.join() !== [...m.changes.added].sort().join()) report(`changes.added does not match the difference to version ${parent.version} (${added.length} ids added)`);
  if (removed.join() !== [...m.changes.removed].sort().join()) report(`changes.removed does not match the difference to version ${parent.version} (${removed.length} ids removed)`);
}

async function checkCase(root: string, name: string, id: string, hash: string, problem: (file: string, msg: string) => void): Promise<void> {
  const file = caseFilePath(root, name, id);
  if (!existsSync(file)) return problem(file, `case file missing (listed in a version manifest)`);
  const text = await readFile(file, 'utf8');
  const actual = sha256Hex(text);
  if (actual !== hash) problem(file, `case file was modified: sha256 ${actual.slice(0, 16)}…, manifest records ${hash.slice(0, 16)}…`);
  try {
    const c = parseCaseFile(text, file);
    if (c.id !== id) problem(file, `field id is ${c.id}, expected ${id} (the file name)`);
    const { id: _id, ...body } = c;
    const computed = computeCaseId(body);
    if (computed !== id) problem(file, `content no longer matches its id: recomputed ${computed}`);
  } catch (err) {
    problem(file, describe(err));
  }
}

async function findLeftovers(dir: string, latest: number, recorded: Map<string, string>, warn: (file: string, msg: string) => void): Promise<void> {
  const list = async (d: string): Promise<string[]> => readdir(d).catch(() => [] as string[]);
  for (const f of await list(join(dir, 'versions'))) {
    const m = /^v(\d+)\.yaml$/.exec(f);
    if (m !== null && Number(m[1]) > latest) warn(join(dir, 'versions', f), 'unpublished version (an interrupted write); the next write replaces it');
    else if (f.includes('.tmp-')) warn(join(dir, 'versions', f), 'temporary file left by an interrupted write; safe to delete (the next write removes it)');
  }
  for (const f of await list(join(dir, 'cases'))) {
    const id = f.replace(/\.json$/, '');
    if (f.includes('.tmp-')) warn(join(dir, 'cases', f), 'temporary file left by an interrupted write; safe to delete (the next write removes it)');
    else if (f.endsWith('.json') && !recorded.has(id)) warn(join(dir, 'cases', f), 'case file in no version (an interrupted write); a later write may reuse it');
  }
  if (existsSync(join(dir, '.lock'))) warn(join(dir, '.lock'), 'lock file present: a write is running or was killed (it is broken automatically when its process is gone)');
}
