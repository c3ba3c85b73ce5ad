/**
 * Reading datasets from disk: paths, refs (`name`, `name@latest`, `name@<hash prefix>`, and the
 * 0.1 numbers `name@3`), and the version files of both layouts — layout 2 (`versions/<id>.yaml`,
 * a DAG) and 0.1 (`dataset.yaml` + `versions/vNNNN.yaml`), which is converted in memory to the
 * same DAG (storage/legacy.ts) so every reader has one code path. Case files are checked
 * against the hash their version recorded, so an edited case never runs silently.
 */
import { readdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, NotFoundError, UsageError } from '../../errors.js';
import type { Case } from '../case.js';
import { parseCaseFile, parseDatasetMeta, parseVersion, sha256Hex, versionFileName } from '../format/manifest.js';
import type { DatasetMeta, VersionManifest } from '../format/manifest.js';
import { parseVersionNode } from '../format/version-file.js';
import type { VersionNode } from '../format/version-file.js';
import { convertLegacy } from './legacy.js';

/** A version selector: the merged heads, a 0.1 version number, or a hash prefix (version id or state hash). */
export type VersionSelector = number | 'latest' | string;

/** A parsed `name@…` reference. */
export interface DatasetRef {
  name: string;
  version: VersionSelector;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const NODE_FILE = /^([0-9a-f]{16})\.yaml$/;
const LEGACY_FILE = /^v(\d+)\.yaml$/;

/** Checks a dataset name (lower-case letters, digits, `.`, `_`, `-`; no path separators). */
export function assertDatasetName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) {
    throw new UsageError('invalid dataset name', { field: 'name', expected: 'lower-case letters, digits, ".", "_" or "-" (e.g. refund-bot)', found: JSON.stringify(name) });
  }
}

/**
 * Parses `name`, `name@latest`, `name@<hash prefix>` (6 to 64 hex, a version id or a state hash,
 * `sha256:` allowed) or a 0.1 number `name@3` / `name@v3` (at most 5 digits).
 */
export function parseRef(ref: string): DatasetRef {
  const at = ref.lastIndexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const sel = at === -1 ? 'latest' : ref.slice(at + 1);
  assertDatasetName(name);
  if (sel === 'latest') return { name, version: 'latest' };
  const n = /^v?(\d{1,5})$/.exec(sel);
  if (n !== null && Number(n[1]) >= 1) return { name, version: Number(n[1]) };
  const h = /^(?:sha256:)?([0-9a-fA-F]{6,64})$/.exec(sel);
  if (h !== null) return { name, version: (h[1] as string).toLowerCase() };
  throw new UsageError('invalid dataset reference', { field: 'ref', expected: 'name, name@latest, name@<hash prefix of 6+ hex> or a 0.1 number name@N (N >= 1)', found: JSON.stringify(ref) });
}

/** Formats a ref for messages: `refund-bot@3f9a2c1b8e7d`. */
export function formatRef(name: string, version: string | number): string {
  return `${name}@${version}`;
}

/** Directory of a dataset. */
export function datasetDir(root: string, name: string): string {
  assertDatasetName(name);
  return join(root, name);
}

/** Path of a case file. */
export function caseFilePath(root: string, name: string, id: string): string {
  return join(datasetDir(root, name), 'cases', `${id}.json`);
}

/** Path of a layout-2 version file. */
export function nodeFilePath(root: string, name: string, id: string): string {
  return join(datasetDir(root, name), 'versions', `${id}.yaml`);
}

/** Path of a 0.1 version manifest. */
export function versionFilePath(root: string, name: string, version: number): string {
  return join(datasetDir(root, name), 'versions', versionFileName(version));
}

export async function readText(file: string, what: string): Promise<string> {
  try {
    // Synchronous on purpose: case and version files are small and local, and the promise API
    // costs four thread-pool round trips per file (open, fstat, read, close): at 10,000 case
    // files that was most of a dataset read.
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${what} not found`, { file });
    throw err;
  }
}

/** Every version of a dataset, whichever layout it is stored in. */
export interface LoadedDataset {
  name: string;
  layout: 'dag' | '0.1';
  nodes: Map<string, VersionNode>;
  /** Version file of each node (for messages). */
  files: Map<string, string>;
  /** For 0.1: `dataset.yaml` and the manifests, kept for `verify` and `migrate`. */
  legacy?: { meta: DatasetMeta; manifests: VersionManifest[] };
}

async function listVersionFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, 'versions'))).sort();
  } catch {
    return [];
  }
}

/** Loads every version of `name`, or undefined when the dataset does not exist. Invalid files throw. */
export async function loadDatasetIfExists(root: string, name: string): Promise<LoadedDataset | undefined> {
  const dir = datasetDir(root, name);
  const entries = await listVersionFiles(dir);
  const metaFile = join(dir, 'dataset.yaml');
  const out: LoadedDataset = { name, layout: 'dag', nodes: new Map(), files: new Map() };
  if (existsSync(metaFile)) {
    const meta = parseDatasetMeta(await readText(metaFile, 'dataset.yaml'), metaFile);
    if (meta.name !== name) throw new InputError('dataset name does not match its directory', { file: metaFile, field: 'name', expected: JSON.stringify(name), found: JSON.stringify(meta.name) });
    const manifests: VersionManifest[] = [];
    for (let v = 1; v <= meta.latest; v++) manifests.push(await readManifest(root, name, v));
    out.layout = '0.1';
    out.legacy = { meta, manifests };
    for (const n of convertLegacy(meta, manifests)) {
      out.nodes.set(n.node.id, n.node);
      out.files.set(n.node.id, versionFilePath(root, name, n.node.number ?? 0));
    }
  }
  for (const f of entries) {
    const m = NODE_FILE.exec(f);
    if (m === null) continue;
    const file = join(dir, 'versions', f);
    const node = parseVersionNode(await readText(file, `version ${m[1]}`), file, m[1] as string);
    out.nodes.set(node.id, node);
    out.files.set(node.id, file);
  }
  if (out.layout === 'dag' && out.nodes.size === 0 && !entries.some((f) => LEGACY_FILE.test(f))) return undefined;
  return out;
}

/** Loads a dataset; NotFoundError listing the known datasets when missing. */
export async function loadDataset(root: string, name: string): Promise<LoadedDataset> {
  const d = await loadDatasetIfExists(root, name);
  if (d !== undefined) return d;
  const known = await listDatasetNames(root);
  throw new NotFoundError(`dataset "${name}" not found`, { file: join(root, name), hint: known.length > 0 ? `known datasets: ${known.join(', ')}` : `no datasets under ${root} yet` });
}

/** Names of the datasets under `root` (directories with a `dataset.yaml` or version files), sorted. */
export async function listDatasetNames(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (!NAME.test(e) || e.includes('..')) continue;
    if (existsSync(join(root, e, 'dataset.yaml')) || (await listVersionFiles(join(root, e))).some((f) => NODE_FILE.test(f))) out.push(e);
  }
  return out.sort();
}

/** Reads and validates one 0.1 version manifest. */
export async function readManifest(root: string, name: string, version: number): Promise<VersionManifest> {
  const file = versionFilePath(root, name, version);
  const m = parseVersion(await readText(file, `version ${version} of dataset "${name}"`), file);
  if (m.version !== version) throw new InputError('version number does not match the file name', { file, field: 'version', expected: String(version), found: String(m.version) });
  return m;
}

/** Reads one case file, checking its hash against the version and its id against its name. */
export async function readCase(root: string, name: string, id: string, expectedHash?: string): Promise<Case> {
  const file = caseFilePath(root, name, id);
  return caseFromText(await readText(file, `case ${id}`), file, id, expectedHash);
}

/** {@link readCase} with a synchronous read (reports load one case at a time while they render). */
export function readCaseSync(root: string, name: string, id: string, expectedHash?: string): Case {
  return readCaseTextSync(root, name, id, expectedHash).c;
}

/** {@link readCaseSync}, with the file's text (the case read thread sends the text on). */
export function readCaseTextSync(root: string, name: string, id: string, expectedHash?: string): { text: string; c: Case } {
  const file = caseFilePath(root, name, id);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`case ${id} not found`, { file });
    throw err;
  }
  return { text, c: caseFromText(text, file, id, expectedHash) };
}

function caseFromText(text: string, file: string, id: string, expectedHash: string | undefined): Case {
  if (expectedHash !== undefined && expectedHash !== '' && sha256Hex(text) !== expectedHash) {
    throw new InputError('case file changed after it was written (case files are immutable)', {
      file,
      expected: `sha256 ${expectedHash.slice(0, 16)}…`,
      found: `sha256 ${sha256Hex(text).slice(0, 16)}…`,
      hint: 'to change a case use `evals datasets expect|assert|tag`, which write a new case and version; `evals datasets verify` lists all problems',
    });
  }
  const c = parseCaseFile(text, file);
  if (c.id !== id) throw new InputError('case id does not match the file name', { file, field: 'id', expected: id, found: c.id });
  return c;
}

/** Finds a case id among `ids` by full id or unique prefix (at least 4 characters). */
export function resolveCaseId(ids: readonly string[], ref: string, idOrPrefix: string): string {
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const matches = idOrPrefix.length > 0 ? ids.filter((id) => id.startsWith(idOrPrefix)) : [];
  if (matches.length === 1 && idOrPrefix.length >= 4) return matches[0] as string;
  throw new NotFoundError(matches.length > 1 ? `case id prefix "${idOrPrefix}" is ambiguous` : `case "${idOrPrefix}" is not in ${ref}`, {
    field: 'case-id',
    expected: matches.length > 1 ? `one of ${matches.slice(0, 10).join(', ')}${matches.length > 10 ? `, … (${matches.length} in all)` : ''}` : 'a case id listed by `evals datasets show` (or a unique prefix of at least 4 characters)',
    found: idOrPrefix,
  });
}
