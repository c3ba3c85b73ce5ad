/**
 * Writing a new immutable version: under the dataset lock, read every version file, take the
 * merged state of all heads (a git merge leaves several), apply the change, write the case files
 * that do not exist yet, then one version file named by the hash of its bytes whose parents are
 * all the heads. There is no pointer to move: a version is published by the one atomic rename
 * that creates its file, so a process killed at any point leaves every published state intact.
 * A 0.1 dataset is migrated (storage/migrate.ts) before its first new version.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { NotFoundError } from '../../errors.js';
import { computeCaseId } from '../case.js';
import type { Case, RedactionCounts } from '../case.js';
import { syncDir } from '../../durable/atomic-file.js';
import { datasetDir, loadDatasetIfExists } from './dataset-io.js';
import { TOOL_VERSION } from '../../version.js';
import { withLock } from '../../durable/lock.js';
import { sweepDeadTempFiles } from '../../durable/sweep.js';
import { scrubText } from '../../secrets/scrub.js';
import type { LockOptions } from '../../durable/lock.js';
import { assertCase, contentHash } from '../format/manifest.js';
import type { VersionProvenance } from '../format/manifest.js';
import type { DatasetOrigin, VersionNode } from '../format/version-file.js';
import { redactCase } from '../redaction/redact.js';
import type { RedactOptions } from '../redaction/redact.js';
import { conflictError } from './conflicts.js';
import { selectState } from './dataset-read.js';
import { recordMerge, writeCaseOnce, writeNodeOnce } from './write-files.js';
import { migrateLoaded } from './migrate.js';

/** What a new version records about where its changes came from. */
export interface WriteProvenance {
  /** `snapshot`, `import`, `curate`, `remove`, `resolve`… */
  source: string;
  /** Default: the trace ids of the added cases. */
  traceIds?: string[];
  incident?: string;
  note?: string;
  /** Default: this package's version. */
  toolVersion?: string;
}

/** The change a new version makes to the merged state of the heads. */
export interface VersionChange {
  /** Cases to add; ids are recomputed after redaction, so `id` may be omitted. */
  add: ReadonlyArray<Case | Omit<Case, 'id'>>;
  /** Ids of present cases to drop. */
  remove?: readonly string[];
  /** Curations: drop `old` and add `with`, recording that the new case replaces the old one. */
  replace?: ReadonlyArray<{ old: string; with: Case | Omit<Case, 'id'> }>;
  /** Set by `evals datasets resolve`: write on top of a conflicted state (its `remove` settles the conflicts). */
  resolving?: boolean;
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
  /** The new version's id, or the unchanged state's label when nothing changed. */
  version: string;
  /** False when every added case was already present and nothing was removed. */
  created: boolean;
  /** Parent version ids (several when this version records a git merge). */
  parents: string[];
  /** State hash after the write. */
  hash: string;
  added: string[];
  removed: string[];
  /** Added cases that were already present (same content → same id). */
  alreadyPresent: string[];
  /** What this write's redaction pass replaced in the added cases, by kind. */
  redaction: RedactionCounts;
  /** True when the 0.1 files were migrated to layout 2 first. */
  migrated: boolean;
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
  let loaded = await loadDatasetIfExists(root, name);
  let migrated = false;
  if (loaded?.layout === '0.1') {
    loaded = await migrateLoaded(root, loaded);
    migrated = true;
  }
  let selected = loaded !== undefined && loaded.nodes.size > 0 ? await selectState(root, loaded, 'latest') : undefined;
  if (selected !== undefined && selected.state.conflicts.length > 0 && change.resolving !== true) throw conflictError(name, selected.state.conflicts, dir);
  if (loaded !== undefined && selected !== undefined && selected.state.heads.length > 1 && change.resolving !== true) {
    // First record the git merge as its own version, so the merged state a run may have pinned
    // (`name@<state hash>`) stays readable after this write.
    const merge = await recordMerge(root, name, selected.state, now);
    loaded.nodes.set(merge.id, merge);
    selected = await selectState(root, loaded, 'latest');
  }
  const state = selected?.state;
  const origin: DatasetOrigin | undefined = selected === undefined || selected.meta.redaction.salt === ''
    ? { ...(change.description !== undefined ? { description: change.description } : {}), redaction: { scheme: 'hmac-sha256', salt: loaded?.legacy?.meta.redaction.salt ?? randomBytes(16).toString('hex') } }
    : undefined;
  const salt = origin?.redaction.salt ?? (selected?.meta.redaction.salt as string);
  const label = state?.version ?? '(new)';

  const next: Record<string, string> = { ...(state?.cases ?? {}) };
  const replaced: Record<string, string[]> = { ...(state?.replaced ?? {}) };
  const removed: string[] = [];
  const drop = (id: string, field: string): void => {
    if (next[id] === undefined) throw new NotFoundError(`case "${id}" is not in ${name}@${label}`, { field, expected: 'an id of the latest state', found: id });
    delete next[id];
    removed.push(id);
  };
  for (const id of change.remove ?? []) drop(id, 'remove');

  const prepared = new Map<string, { c: Case; counts: RedactionCounts; replaces?: string }>();
  const unchanged: string[] = [];
  for (const r of change.replace ?? []) {
    const p = prepare(r.with, salt, change.redact);
    // A curation that changes nothing keeps the case (same content, same id).
    if (p.c.id === r.old && next[r.old] !== undefined) {
      unchanged.push(r.old);
      continue;
    }
    drop(r.old, 'replace');
    prepared.set(p.c.id, { ...p, replaces: r.old });
  }
  for (const raw of change.add) {
    const p = prepare(raw, salt, change.redact);
    if (!prepared.has(p.c.id)) prepared.set(p.c.id, p);
  }
  const added: string[] = [];
  const alreadyPresent: string[] = [...unchanged];
  const redaction: RedactionCounts = {};
  const toWrite: Array<{ c: Case; text?: string }> = [];
  for (const { c, counts, replaces } of prepared.values()) {
    if (replaces !== undefined && c.id !== replaces) replaced[c.id] = [replaces];
    if (next[c.id] !== undefined) {
      alreadyPresent.push(c.id);
      continue;
    }
    toWrite.push({ c });
    added.push(c.id);
    for (const [k, n] of Object.entries(counts)) redaction[k] = (redaction[k] ?? 0) + n;
  }
  // Cases merged from concurrent curations exist only in memory until a version records them.
  for (const [id, p] of state?.pending ?? []) if (next[id] !== undefined) toWrite.push({ c: p.c, text: p.text });

  const pause = Number(process.env[PAUSE_ENV] ?? 0);
  // Small parallel batches: each file is fsynced, and fsyncs overlap well on real disks.
  for (let i = 0; i < toWrite.length; i += WRITE_BATCH) {
    const batch = toWrite.slice(i, i + WRITE_BATCH);
    const hashes = await Promise.all(batch.map((w) => writeCaseOnce(root, name, w.c, w.text)));
    batch.forEach((w, j) => (next[w.c.id] = hashes[j] as string));
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  }
  // One directory sync for all new case files, before any version can refer to them.
  if (toWrite.length > 0) await syncDir(join(dir, 'cases'));
  alreadyPresent.sort();

  const hash = contentHash(next);
  const parents = state?.heads ?? [];
  if (state !== undefined && added.length === 0 && removed.length === 0 && (parents.length === 1 || change.resolving !== true)) {
    return { dataset: name, version: state.version, created: false, parents: state.node?.parents ?? parents, hash: state.hash, added: [], removed: [], alreadyPresent, redaction: {}, migrated };
  }
  const base = state?.base ?? {};
  const body: Omit<VersionNode, 'id'> = {
    parents,
    created: now,
    hash,
    ...(origin !== undefined && parents.length === 0 ? { dataset: origin } : {}),
    provenance: buildProvenance(change.provenance, toWrite.map((w) => w.c), now, redaction),
    changes: {
      added: Object.fromEntries(Object.keys(next).filter((id) => base[id] === undefined).map((id) => [id, next[id] as string])),
      removed: Object.keys(base).filter((id) => next[id] === undefined),
      replaced: Object.fromEntries(Object.entries(replaced).filter(([id]) => next[id] !== undefined)),
    },
  };
  const id = await writeNodeOnce(root, name, body);
  return { dataset: name, version: id, created: true, parents, hash, added: added.sort(), removed: removed.sort(), alreadyPresent, redaction, migrated };
}

function prepare(raw: Case | Omit<Case, 'id'>, salt: string, redact: VersionChange['redact']): { c: Case; counts: RedactionCounts } {
  const { id: _ignored, ...body } = raw as Case;
  let c: Case = { ...body, id: computeCaseId(body) };
  let counts: RedactionCounts = {};
  if (redact !== false) ({ case: c, counts } = redactCase(c, { ...(redact ?? {}), salt }));
  assertCase(c, `case for trace ${c.provenance?.traceId ?? '(unknown)'}`);
  return { c, counts };
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
