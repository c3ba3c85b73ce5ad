/**
 * Read-side operations over a dataset: one version with its cases, the list of datasets, the
 * version log and the difference between two versions.
 */
import type { Case } from '../case.js';
import { caseTitle } from '../case.js';
import { listDatasetNames, readCase, readManifest, readMeta, resolveVersion } from './dataset-io.js';
import type { VersionSelector } from './dataset-io.js';
import type { DatasetMeta, VersionManifest, VersionProvenance } from '../format/manifest.js';

const READ_BATCH = 64;

/** One version read from disk: its manifest and its cases (sorted by id). */
export interface DatasetVersion {
  meta: DatasetMeta;
  manifest: VersionManifest;
  cases: Case[];
}

/** Reads version `version` (or the newest) of dataset `name`, validating every file. */
export async function readVersion(root: string, name: string, version: VersionSelector = 'latest'): Promise<DatasetVersion> {
  const meta = await readMeta(root, name);
  const n = resolveVersion(meta, version, root);
  const manifest = await readManifest(root, name, n);
  const ids = Object.keys(manifest.cases).sort();
  const cases: Case[] = [];
  // Bounded batches: a dataset of thousands of cases must not open thousands of files at once.
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const batch = ids.slice(i, i + READ_BATCH);
    cases.push(...(await Promise.all(batch.map((id) => readCase(root, name, id, manifest.cases[id])))));
  }
  return { meta, manifest, cases };
}

/** A row of `evals datasets list`. */
export interface DatasetSummary {
  name: string;
  description?: string;
  /** Newest version number, 0 when none. */
  latest: number;
  /** Cases in the newest version. */
  cases: number;
  /** Hash of the newest version, empty when none. */
  hash: string;
  /** When the newest version was written. */
  updated?: string;
}

/** Lists the datasets under `root`, sorted by name. */
export async function listDatasets(root: string): Promise<DatasetSummary[]> {
  const out: DatasetSummary[] = [];
  for (const name of await listDatasetNames(root)) {
    const meta = await readMeta(root, name);
    const m = meta.latest > 0 ? await readManifest(root, name, meta.latest) : undefined;
    out.push({
      name,
      ...(meta.description !== undefined ? { description: meta.description } : {}),
      latest: meta.latest,
      cases: m ? Object.keys(m.cases).length : 0,
      hash: m?.hash ?? '',
      ...(m ? { updated: m.created } : {}),
    });
  }
  return out;
}

/** One entry of `evals datasets log`. */
export interface LogEntry {
  version: number;
  parent: number | null;
  created: string;
  hash: string;
  cases: number;
  added: string[];
  removed: string[];
  provenance: VersionProvenance;
}

/** The versions of a dataset, newest first. */
export async function logDataset(root: string, name: string): Promise<LogEntry[]> {
  const meta = await readMeta(root, name);
  const out: LogEntry[] = [];
  for (let v = meta.latest; v >= 1; v--) {
    const m = await readManifest(root, name, v);
    out.push({ version: v, parent: m.parent, created: m.created, hash: m.hash, cases: Object.keys(m.cases).length, added: m.changes.added, removed: m.changes.removed, provenance: m.provenance });
  }
  return out;
}

/** A case as listed in a diff. */
export interface CaseBrief {
  id: string;
  traceId: string;
  title: string;
}

/** Difference between two versions. A case whose trace id is on both sides with new content is `changed`. */
export interface VersionDiff {
  dataset: string;
  from: number;
  to: number;
  added: CaseBrief[];
  removed: CaseBrief[];
  changed: Array<{ traceId: string; from: CaseBrief; to: CaseBrief }>;
  unchanged: number;
}

const brief = (c: Case): CaseBrief => ({ id: c.id, traceId: c.provenance.traceId, title: caseTitle(c) });

/** Compares versions `a` and `b` of dataset `name`. */
export async function diffVersions(root: string, name: string, a: VersionSelector, b: VersionSelector): Promise<VersionDiff> {
  const [va, vb] = await Promise.all([readVersion(root, name, a), readVersion(root, name, b)]);
  const idsA = new Set(va.cases.map((c) => c.id));
  const idsB = new Set(vb.cases.map((c) => c.id));
  const onlyA = va.cases.filter((c) => !idsB.has(c.id));
  const onlyB = vb.cases.filter((c) => !idsA.has(c.id));
  const changed: VersionDiff['changed'] = [];
  const removed: CaseBrief[] = [];
  const addedByTrace = new Map<string, Case[]>();
  for (const c of onlyB) addedByTrace.set(c.provenance.traceId, [...(addedByTrace.get(c.provenance.traceId) ?? []), c]);
  for (const old of onlyA) {
    const match = addedByTrace.get(old.provenance.traceId)?.shift();
    if (match !== undefined) changed.push({ traceId: old.provenance.traceId, from: brief(old), to: brief(match) });
    else removed.push(brief(old));
  }
  const pairedIds = new Set(changed.map((c) => c.to.id));
  return {
    dataset: name,
    from: va.manifest.version,
    to: vb.manifest.version,
    added: onlyB.filter((c) => !pairedIds.has(c.id)).map(brief),
    removed,
    changed,
    unchanged: va.cases.length - onlyA.length,
  };
}
