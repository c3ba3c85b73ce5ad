/**
 * Writing a new immutable version: under the dataset lock, redact the added cases, write case
 * files that do not exist yet, then the version manifest, then `dataset.yaml` last. A process
 * killed at any point leaves every published version intact: nothing it wrote is referenced
 * until `dataset.yaml` moves `latest`, and that move is one atomic rename.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../errors.js';
import { computeCaseId } from './case.js';
import type { Case, RedactionCounts } from './case.js';
import { syncDir, writeFileAtomic } from './atomic-file.js';
import { caseFilePath, datasetDir, readManifest, readMetaIfExists, versionFilePath } from './dataset-io.js';
import { TOOL_VERSION } from '../version.js';
import { withLock } from './lock.js';
import type { LockOptions } from './lock.js';
import { assertCase, contentHash, renderCaseFile, renderDatasetMeta, renderVersion, sha256Hex } from './manifest.js';
import type { DatasetMeta, VersionManifest, VersionProvenance } from './manifest.js';
import { scrubText } from '../secrets/scrub.js';
import { sweepDeadTempFiles } from '../durable/sweep.js';
import { redactCase } from './redact.js';
import type { RedactOptions } from './redact.js';

/** What a new version records about where its changes came from. */
export interface WriteProvenance {
  /** `snapshot`, `import`, `curate`, `remove`… */
  source: string;
  /** Default: the trace ids of the added cases. */
  traceIds?: string[];
  incident?: string;
  note?: string;
  /** Default: this package's version. */
  toolVersion?: string;
}

/** The change a new version makes to its parent. */
export interface VersionChange {
  /** Cases to add; ids are recomputed after redaction, so `id` may be omitted. */
  add: ReadonlyArray<Case | Omit<Case, 'id'>>;
  /** Ids of parent cases to drop. */
  remove?: readonly string[];
  provenance: WriteProvenance;
  /** Used when this write creates the dataset. */
  description?: string;
  /** Redaction before writing (default on, with the dataset's salt); `false` is the caller's explicit opt-out. */
  redact?: false | Omit<RedactOptions, 'salt'>;
  lock?: LockOptions;
  /** Clock for `created` / `time` (tests). Default `new Date()`. */
  now?: () => Date;
}

/** What {@link writeVersion} did. */
export interface WriteResult {
  dataset: string;
  /** The new version, or the unchanged latest when nothing changed. */
  version: number;
  /** False when every added case was already present and nothing was removed. */
  created: boolean;
  parent: number | null;
  hash: string;
  added: string[];
  removed: string[];
  /** Added cases that were already in the parent (same content → same id). */
  alreadyPresent: string[];
  /** What this write's redaction pass replaced in the added cases, by kind. */
  redaction: RedactionCounts;
}

const WRITE_BATCH = 16;

/** Test hook: milliseconds to pause after each batch of (up to 16) case files, so a test can kill a writer mid-write. */
const PAUSE_ENV = 'EVALS_DATASETS_TEST_PAUSE_MS';

/** Writes a new version of dataset `name` under `root` (creating the dataset when needed). */
export async function writeVersion(root: string, name: string, change: VersionChange): Promise<WriteResult> {
  const dir = datasetDir(root, name);
  return withLock(dir, async () => {
    await sweepDeadTempFiles(dir);
    return writeLocked(root, name, change);
  }, change.lock);
}

async function writeLocked(root: string, name: string, change: VersionChange): Promise<WriteResult> {
  const now = (change.now ?? (() => new Date()))().toISOString();
  const dir = datasetDir(root, name);
  let meta = await readMetaIfExists(root, name);
  if (meta === undefined) {
    // Created (with its salt) before any case, so a crash cannot strand cases redacted with a lost salt.
    meta = { name, ...(change.description !== undefined ? { description: change.description } : {}), latest: 0, created: now, redaction: { scheme: 'hmac-sha256', salt: randomBytes(16).toString('hex') } };
    await writeFileAtomic(join(dir, 'dataset.yaml'), renderDatasetMeta(meta));
  }
  const parent = meta.latest > 0 ? await readManifest(root, name, meta.latest) : undefined;
  const next: Record<string, string> = { ...(parent?.cases ?? {}) };

  const removed: string[] = [];
  for (const id of change.remove ?? []) {
    if (next[id] === undefined) throw new NotFoundError(`case "${id}" is not in ${name}@${meta.latest}`, { field: 'remove', expected: 'an id of the latest version', found: id });
    delete next[id];
    removed.push(id);
  }

  const prepared = new Map<string, { c: Case; counts: RedactionCounts }>();
  for (const raw of change.add) {
    const p = prepare(raw, meta, change.redact);
    prepared.set(p.c.id, p);
  }
  const added: string[] = [];
  const alreadyPresent: string[] = [];
  const redaction: RedactionCounts = {};
  const toWrite: Case[] = [];
  for (const { c, counts } of prepared.values()) {
    if (next[c.id] !== undefined) {
      alreadyPresent.push(c.id);
      continue;
    }
    toWrite.push(c);
    added.push(c.id);
    for (const [k, n] of Object.entries(counts)) redaction[k] = (redaction[k] ?? 0) + n;
  }
  const pause = Number(process.env[PAUSE_ENV] ?? 0);
  // Small parallel batches: each file is fsynced, and fsyncs overlap well on real disks.
  for (let i = 0; i < toWrite.length; i += WRITE_BATCH) {
    const batch = toWrite.slice(i, i + WRITE_BATCH);
    const hashes = await Promise.all(batch.map((c) => writeCaseOnce(root, name, c)));
    batch.forEach((c, j) => (next[c.id] = hashes[j] as string));
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  }

  // One directory sync for all new case files, before any manifest can refer to them.
  if (added.length > 0) await syncDir(join(dir, 'cases'));
  alreadyPresent.sort();
  const hash = contentHash(next);
  if (parent !== undefined && hash === parent.hash) {
    return { dataset: name, version: parent.version, created: false, parent: parent.parent, hash, added: [], removed: [], alreadyPresent, redaction: {} };
  }
  const version = meta.latest + 1;
  const manifest: VersionManifest = {
    version,
    parent: parent?.version ?? null,
    created: now,
    hash,
    provenance: buildProvenance(change.provenance, toWrite, now, redaction),
    changes: { added: added.sort(), removed: removed.sort() },
    cases: next,
  };
  // An unpublished version file left by a killed writer has this number; it is safe to replace.
  await writeFileAtomic(versionFilePath(root, name, version), renderVersion(manifest));
  const updated: DatasetMeta = { ...meta, latest: version };
  await writeFileAtomic(join(dir, 'dataset.yaml'), renderDatasetMeta(updated));
  return { dataset: name, version, created: true, parent: manifest.parent, hash, added, removed, alreadyPresent, redaction };
}

function prepare(raw: Case | Omit<Case, 'id'>, meta: DatasetMeta, redact: VersionChange['redact']): { c: Case; counts: RedactionCounts } {
  const { id: _ignored, ...body } = raw as Case;
  let c: Case = { ...body, id: computeCaseId(body) };
  let counts: RedactionCounts = {};
  if (redact !== false) ({ case: c, counts } = redactCase(c, { ...(redact ?? {}), salt: meta.redaction.salt }));
  assertCase(c, `case for trace ${c.provenance?.traceId ?? '(unknown)'}`);
  return { c, counts };
}

/** Case files are content-addressed: an existing file with this id is kept, never rewritten. */
async function writeCaseOnce(root: string, name: string, c: Case): Promise<string> {
  const file = caseFilePath(root, name, c.id);
  if (existsSync(file)) return sha256Hex(await readFile(file, 'utf8'));
  const text = renderCaseFile(c);
  await writeFileAtomic(file, text, { syncDir: false });
  return sha256Hex(text);
}

function buildProvenance(p: WriteProvenance, added: Case[], time: string, redaction: RedactionCounts): VersionProvenance {
  const out: VersionProvenance = {
    source: p.source,
    traceIds: p.traceIds ?? [...new Set(added.map((c) => c.provenance.traceId))].sort(),
    time,
    toolVersion: p.toolVersion ?? TOOL_VERSION,
    redaction,
  };
  // Typed by a person, so they may hold a pasted key or a customer's e-mail: scrubbed like the rest.
  if (p.incident !== undefined) out.incident = scrubText(p.incident, { pii: true });
  if (p.note !== undefined) out.note = scrubText(p.note, { pii: true });
  return out;
}
