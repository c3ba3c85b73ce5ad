/**
 * `versions/<id>.yaml`: one node of a dataset's version DAG (layout 2). The file is named by
 * the first 16 hex of the SHA-256 of its own bytes, records its parent version ids and the
 * change it makes to the merged state of its parents, and is written once. Two branches that
 * each add a version therefore add two different files, which git merges without conflict.
 * Pure: text in, objects out, validated against the published schema.
 */
import { stringify } from 'yaml';
import { extractVersionBulk } from './version-bulk.js';
import { InputError } from '../../errors.js';
import { sha256Hex } from './manifest.js';
import type { VersionProvenance } from './manifest.js';
import { parseYamlFile, assertSchema } from './manifest.js';
import { versionNodeSchema } from './schemas.js';

/** What a root version (one without parents) records about the dataset it creates. */
export interface DatasetOrigin {
  description?: string;
  /** Key for deterministic placeholders; see redaction/redact.ts. Not a secret from repo readers. */
  redaction: { scheme: 'hmac-sha256'; salt: string };
}

/** The change a version makes to the merged state of its parents. */
export interface VersionChanges {
  /** Case id → SHA-256 hex of the case file's bytes. */
  added: Record<string, string>;
  removed: string[];
  /** Curation lineage: new case id → the case id(s) it replaces (a curated or merged copy). */
  replaced: Record<string, string[]>;
}

/** One version file, parsed. `id` is the file name, not part of the bytes. */
export interface VersionNode {
  id: string;
  /** Parent version ids, sorted; empty for a root. A git merge is resolved by a version with two or more. */
  parents: string[];
  /** The 0.1 version number, only on versions migrated from `versions/vNNNN.yaml` (`name@3` keeps working). */
  number?: number;
  created: string;
  /** State hash of the dataset at this version: `sha256:` over sorted `<case id> <file sha256>` lines. */
  hash: string;
  /** Only on roots. */
  dataset?: DatasetOrigin;
  provenance: VersionProvenance;
  changes: VersionChanges;
}

/** Length of a version id (hex). */
export const VERSION_ID_LENGTH = 16;

/** The id of a version file: the first 16 hex of the SHA-256 of its bytes. */
export function versionIdOf(text: string): string {
  return sha256Hex(text).slice(0, VERSION_ID_LENGTH);
}

function sorted<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k] as T]));
}

/** The file text of a version, keys in a fixed order and ids sorted, so equal versions are equal bytes. */
export function renderVersionNode(n: Omit<VersionNode, 'id'>): string {
  const out: Record<string, unknown> = { parents: [...n.parents].sort() };
  if (n.number !== undefined) out.number = n.number;
  out.created = n.created;
  out.hash = n.hash;
  if (n.dataset !== undefined) {
    const d: Record<string, unknown> = {};
    if (n.dataset.description !== undefined) d.description = n.dataset.description;
    d.redaction = { scheme: n.dataset.redaction.scheme, salt: n.dataset.redaction.salt };
    out.dataset = d;
  }
  const p = n.provenance;
  const provenance: Record<string, unknown> = { source: p.source, traceIds: [...p.traceIds].sort() };
  if (p.incident !== undefined) provenance.incident = p.incident;
  if (p.note !== undefined) provenance.note = p.note;
  Object.assign(provenance, { time: p.time, toolVersion: p.toolVersion, redaction: sorted(p.redaction) });
  out.provenance = provenance;
  const replaced = Object.fromEntries(Object.keys(n.changes.replaced).sort().map((k) => [k, [...(n.changes.replaced[k] ?? [])].sort()]));
  out.changes = { added: sorted(n.changes.added), removed: [...n.changes.removed].sort(), replaced };
  return stringify(out, { lineWidth: 0 });
}

/** Parses and validates a version file; checks that its name is the hash of its bytes. */
export function parseVersionNode(text: string, file: string, id: string): VersionNode {
  let bulk = extractVersionBulk(text);
  let value: unknown;
  try {
    value = parseYamlFile(bulk.rest, file);
  } catch (err) {
    if (bulk.rest === text) throw err;
    // The rest has fewer lines than the file: parse it whole for an error naming the right line.
    bulk = { rest: text };
    value = parseYamlFile(text, file);
  }
  // The bulk blocks go back where the parser found their placeholders (see version-bulk.ts).
  if (value !== null && typeof value === 'object') {
    const v = value as { provenance?: { traceIds?: unknown }; changes?: { added?: unknown } };
    if (bulk.traceIds && v.provenance && typeof v.provenance === 'object') v.provenance.traceIds = bulk.traceIds;
    if (bulk.added && v.changes && typeof v.changes === 'object') v.changes.added = bulk.added;
  }
  assertSchema(value, versionNodeSchema, file, 'version file');
  const actual = versionIdOf(text);
  if (actual !== id) {
    throw new InputError('version file was edited after it was written (its name is the hash of its bytes)', {
      file,
      expected: `bytes hashing to ${id}…`,
      found: `${actual}…`,
      hint: 'version files are immutable; restore it with git, then run `evals datasets verify`',
    });
  }
  const v = value as Omit<VersionNode, 'id' | 'changes'> & { changes: Partial<VersionChanges> };
  return { ...v, id, changes: { added: v.changes.added ?? {}, removed: v.changes.removed ?? [], replaced: v.changes.replaced ?? {} } };
}
