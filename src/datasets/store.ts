/**
 * The dataset store: versioned, content-addressed datasets under one root directory (default
 * `datasets`). `openStore(root)` binds the plain functions of this folder to that root, so
 * library users and the CLI call the same code. File format: see `src/datasets/README.md`.
 */
import type { AssertionConfig, Case } from './case.js';
import { addAssertion, addTags, removeCase, setExpected } from './curation/curate.js';
import type { CurateOptions, CurateResult } from './curation/curate.js';
import { loadDataset, parseRef } from './storage/dataset-io.js';
import type { DatasetRef, VersionSelector } from './storage/dataset-io.js';
import { datasetInfo, diffVersions, listDatasets, logDataset, readVersion } from './storage/dataset-read.js';
import { VersionDag } from './storage/dag.js';
import { resolveConflicts } from './curation/resolve.js';
import type { Resolution, ResolveResult } from './curation/resolve.js';
import { migrateDataset } from './storage/migrate.js';
import type { MigrateResult } from './storage/migrate.js';
import type { DatasetInfo, DatasetSummary, DatasetVersion, LogEntry, ReadOptions, VersionDiff } from './storage/dataset-read.js';
import { exportVersion } from './exchange/export-cases.js';
import type { ExportShape } from './exchange/export-cases.js';
import { importCases } from './exchange/import-cases.js';
import type { ImportOptions } from './exchange/import-cases.js';
import type { RedactOptions } from './redaction/redact.js';
import { scanDataset } from './redaction/scan.js';
import type { ScanReport } from './redaction/scan.js';
import { verifyDataset } from './storage/verify.js';
import type { VerifyReport } from './storage/verify.js';
import { writeVersion } from './storage/write-version.js';
import type { VersionChange, WriteResult } from './storage/write-version.js';

export { parseRef, formatRef } from './storage/dataset-io.js';
export type { DatasetRef, VersionSelector } from './storage/dataset-io.js';

/** A dataset store bound to one root directory. Every method reads or writes under `root`. */
export interface DatasetStore {
  readonly root: string;
  /** Datasets under the root, sorted by name. */
  listDatasets(): Promise<DatasetSummary[]>;
  /** What the root version(s) record: description, salt, heads. */
  readDataset(name: string): Promise<DatasetInfo>;
  /** One state (default: the merged heads) with its cases, every file validated and hash-checked. */
  readVersion(name: string, version?: VersionSelector, opts?: ReadOptions): Promise<DatasetVersion>;
  /** Same, from a `name` / `name@latest` / `name@<hash prefix>` / `name@N` (0.1) reference. */
  readRef(ref: string, opts?: ReadOptions): Promise<DatasetVersion>;
  /** New immutable version = merged heads − `remove` + `add`; none when nothing changes. */
  writeVersion(name: string, change: VersionChange): Promise<WriteResult>;
  /** Settles the merge conflicts `verifyDataset` reports, in one version joining all heads. */
  resolveConflicts(name: string, choices: readonly Resolution[], opts?: { note?: string }): Promise<ResolveResult>;
  /** Rewrites 0.1 datasets (numbered versions) in the mergeable layout; all when `name` is omitted. */
  migrate(name?: string): Promise<MigrateResult[]>;
  /** Versions newest first. */
  logDataset(name: string): Promise<LogEntry[]>;
  /** Cases added, removed and changed (same trace id, new content) from `a` to `b`. */
  diffVersions(name: string, a: VersionSelector, b: VersionSelector): Promise<VersionDiff>;
  /** Recomputes every hash; `ok` false lists the problems. All datasets when `name` is omitted. */
  verifyDataset(name?: string): Promise<VerifyReport>;
  /** Finds sensitive values still present in case files. */
  scanDataset(name?: string, opts?: Pick<RedactOptions, 'patterns' | 'disable'>): Promise<ScanReport>;
  setExpected(ref: string | DatasetRef, caseId: string, output: string, opts?: CurateOptions): Promise<CurateResult>;
  addAssertion(ref: string | DatasetRef, caseId: string, assertion: AssertionConfig, opts?: CurateOptions): Promise<CurateResult>;
  addTags(ref: string | DatasetRef, caseId: string, tags: readonly string[], opts?: CurateOptions): Promise<CurateResult>;
  removeCase(ref: string | DatasetRef, caseId: string, opts?: CurateOptions): Promise<CurateResult>;
  /** Imports a `.jsonl` / `.csv` file of hand-written cases as one new version. */
  importCases(name: string, file: string, opts?: ImportOptions): Promise<WriteResult & { read: number }>;
  /** A version as JSONL in our case shape or as Langfuse dataset items. */
  exportVersion(ref: string, shape?: ExportShape): Promise<{ dataset: string; version: string; count: number; text: string }>;
}

/** Opens the store rooted at `root` (default `datasets`, relative to the working directory). No I/O until used. */
export function openStore(root = 'datasets'): DatasetStore {
  return {
    root,
    listDatasets: () => listDatasets(root),
    readDataset: async (name) => {
      const loaded = await loadDataset(root, name);
      return datasetInfo(loaded, new VersionDag(loaded.nodes));
    },
    readVersion: (name, version = 'latest', opts) => readVersion(root, name, version, opts),
    readRef: (ref, opts) => {
      const r = parseRef(ref);
      return readVersion(root, r.name, r.version, opts);
    },
    resolveConflicts: (name, choices, opts) => resolveConflicts(root, name, choices, opts),
    migrate: (name) => migrateDataset(root, name),
    writeVersion: (name, change) => writeVersion(root, name, change),
    logDataset: (name) => logDataset(root, name),
    diffVersions: (name, a, b) => diffVersions(root, name, a, b),
    verifyDataset: (name) => verifyDataset(root, name),
    scanDataset: (name, opts) => scanDataset(root, name, opts),
    setExpected: (ref, id, output, opts) => setExpected(root, ref, id, output, opts),
    addAssertion: (ref, id, a, opts) => addAssertion(root, ref, id, a, opts),
    addTags: (ref, id, tags, opts) => addTags(root, ref, id, tags, opts),
    removeCase: (ref, id, opts) => removeCase(root, ref, id, opts),
    importCases: (name, file, opts) => importCases(root, name, file, opts),
    exportVersion: (ref, shape) => exportVersion(root, ref, shape),
  };
}

/** Cases of a version, convenient for runners: `await casesOf(store, 'refund-bot@3')`. */
export async function casesOf(store: DatasetStore, ref: string): Promise<{ name: string; version: string; hash: string; cases: Case[] }> {
  const v = await store.readRef(ref);
  return { name: v.meta.name, version: v.manifest.version, hash: v.manifest.hash, cases: v.cases };
}
