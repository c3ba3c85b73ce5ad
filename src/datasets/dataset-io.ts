/**
 * Reading datasets from disk: paths, refs (`name@3`, `name@latest`, `name`), `dataset.yaml`,
 * version manifests and case files, each validated on the way in. Case files are checked
 * against the hash their version recorded, so an edited case never runs silently.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, NotFoundError, UsageError } from '../errors.js';
import type { Case } from './case.js';
import { parseCaseFile, parseDatasetMeta, parseVersion, sha256Hex, versionFileName } from './manifest.js';
import type { DatasetMeta, VersionManifest } from './manifest.js';

/** A version selector: a number or the newest. */
export type VersionSelector = number | 'latest';

/** A parsed `name@N` / `name@latest` / `name` reference. */
export interface DatasetRef {
  name: string;
  version: VersionSelector;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Checks a dataset name (lower-case letters, digits, `.`, `_`, `-`; no path separators). */
export function assertDatasetName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) {
    throw new UsageError('invalid dataset name', { field: 'name', expected: 'lower-case letters, digits, ".", "_" or "-" (e.g. refund-bot)', found: JSON.stringify(name) });
  }
}

/** Parses `name@4`, `name@v4`, `name@latest` or `name` (= latest). */
export function parseRef(ref: string): DatasetRef {
  const at = ref.lastIndexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const sel = at === -1 ? 'latest' : ref.slice(at + 1);
  assertDatasetName(name);
  if (sel === 'latest') return { name, version: 'latest' };
  const m = /^v?(\d+)$/.exec(sel);
  if (m === null || Number(m[1]) < 1) {
    throw new UsageError('invalid dataset reference', { field: 'ref', expected: 'name, name@latest or name@N with N >= 1', found: JSON.stringify(ref) });
  }
  return { name, version: Number(m[1]) };
}

/** Formats a ref for messages: `refund-bot@3`. */
export function formatRef(name: string, version: number): string {
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

/** Path of a version manifest. */
export function versionFilePath(root: string, name: string, version: number): string {
  return join(datasetDir(root, name), 'versions', versionFileName(version));
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${what} not found`, { file });
    throw err;
  }
}

/** Reads `dataset.yaml`, or undefined when the dataset does not exist yet. */
export async function readMetaIfExists(root: string, name: string): Promise<DatasetMeta | undefined> {
  const file = join(datasetDir(root, name), 'dataset.yaml');
  if (!existsSync(file)) return undefined;
  const meta = parseDatasetMeta(await readText(file, 'dataset.yaml'), file);
  if (meta.name !== name) throw new InputError('dataset name does not match its directory', { file, field: 'name', expected: JSON.stringify(name), found: JSON.stringify(meta.name) });
  return meta;
}

/** Reads `dataset.yaml`; NotFoundError listing the known datasets when missing. */
export async function readMeta(root: string, name: string): Promise<DatasetMeta> {
  const meta = await readMetaIfExists(root, name);
  if (meta !== undefined) return meta;
  const known = await listDatasetNames(root);
  throw new NotFoundError(`dataset "${name}" not found`, { file: join(root, name, 'dataset.yaml'), hint: known.length > 0 ? `known datasets: ${known.join(', ')}` : `no datasets under ${root} yet` });
}

/** Names of the datasets under `root` (directories holding a dataset.yaml), sorted. */
export async function listDatasetNames(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  return entries.filter((e) => NAME.test(e) && existsSync(join(root, e, 'dataset.yaml'))).sort();
}

/** Resolves `latest` and checks the version exists. */
export function resolveVersion(meta: DatasetMeta, version: VersionSelector, root: string): number {
  const n = version === 'latest' ? meta.latest : version;
  if (n < 1 || n > meta.latest) {
    throw new NotFoundError(meta.latest === 0 ? `dataset "${meta.name}" has no versions yet` : `dataset "${meta.name}" has no version ${n}`, {
      file: join(root, meta.name, 'dataset.yaml'),
      expected: meta.latest === 0 ? 'a snapshot or import first' : `a version from 1 to ${meta.latest}`,
      found: String(version),
    });
  }
  return n;
}

/** Reads and validates one version manifest. */
export async function readManifest(root: string, name: string, version: number): Promise<VersionManifest> {
  const file = versionFilePath(root, name, version);
  const m = parseVersion(await readText(file, `version ${version} of dataset "${name}"`), file);
  if (m.version !== version) throw new InputError('version number does not match the file name', { file, field: 'version', expected: String(version), found: String(m.version) });
  return m;
}

/** Reads one case file, checking its hash against the manifest and its id against its name. */
export async function readCase(root: string, name: string, id: string, expectedHash?: string): Promise<Case> {
  const file = caseFilePath(root, name, id);
  const text = await readText(file, `case ${id}`);
  if (expectedHash !== undefined && sha256Hex(text) !== expectedHash) {
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

/** Finds a case id by full id or unique prefix (at least 4 characters); a prefix matching several is ambiguous. */
export function resolveCaseId(manifest: VersionManifest, name: string, idOrPrefix: string): string {
  const ids = Object.keys(manifest.cases);
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const matches = idOrPrefix.length > 0 ? ids.filter((id) => id.startsWith(idOrPrefix)) : [];
  if (matches.length === 1 && idOrPrefix.length >= 4) return matches[0] as string;
  throw new NotFoundError(matches.length > 1 ? `case id prefix "${idOrPrefix}" is ambiguous` : `case "${idOrPrefix}" is not in ${formatRef(name, manifest.version)}`, {
    field: 'case-id',
    expected: matches.length > 1 ? `one of ${matches.slice(0, 10).join(', ')}${matches.length > 10 ? `, … (${matches.length} in all)` : ''}` : 'a case id listed by `evals datasets show` (or a unique prefix of at least 4 characters)',
    found: idOrPrefix,
  });
}
