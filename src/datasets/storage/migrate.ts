/**
 * `evals datasets migrate`: rewrites a 0.1 dataset (`dataset.yaml` + `versions/vNNNN.yaml`) in
 * layout 2 (`versions/<id>.yaml`), keeping every case file and every version (with its number,
 * so `name@3` keeps resolving). The conversion is deterministic (storage/legacy.ts): two
 * branches that migrate the same dataset produce the same files. Order for crash safety: the
 * new version files first, then `dataset.yaml` (from then on the new files are read), then the
 * old manifests. Writers migrate automatically before their first version.
 */
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, syncDir } from '../../durable/atomic-file.js';
import { withLock } from '../../durable/lock.js';
import type { LockOptions } from '../../durable/lock.js';
import { datasetDir, listDatasetNames, loadDataset, nodeFilePath, versionFilePath } from './dataset-io.js';
import type { LoadedDataset } from './dataset-io.js';
import { convertLegacy } from './legacy.js';

/** What {@link migrateDataset} did for one dataset. */
export interface MigrateResult {
  dataset: string;
  /** False when the dataset already used layout 2. */
  migrated: boolean;
  versions: number;
}

/** Migrates an already loaded 0.1 dataset (caller holds the lock); returns it reloaded as layout 2. */
export async function migrateLoaded(root: string, loaded: LoadedDataset): Promise<LoadedDataset> {
  if (loaded.legacy === undefined) return loaded;
  const { meta, manifests } = loaded.legacy;
  const converted = convertLegacy(meta, manifests);
  for (const c of converted) {
    const file = nodeFilePath(root, loaded.name, c.node.id);
    if (!existsSync(file)) await writeFileAtomic(file, c.text, { syncDir: false });
  }
  const dir = datasetDir(root, loaded.name);
  await syncDir(join(dir, 'versions'));
  await rm(join(dir, 'dataset.yaml'), { force: true });
  await syncDir(dir);
  for (const m of manifests) await rm(versionFilePath(root, loaded.name, m.version), { force: true });
  const files = new Map(converted.map((c) => [c.node.id, nodeFilePath(root, loaded.name, c.node.id)]));
  // `legacy` stays only for an empty 0.1 dataset, whose salt the first version then records.
  return { name: loaded.name, layout: 'dag', nodes: new Map(converted.map((c) => [c.node.id, c.node])), files, ...(converted.length === 0 ? { legacy: loaded.legacy } : {}) };
}

/** Migrates dataset `name` (all datasets under `root` when omitted) to layout 2, under each dataset's lock. */
export async function migrateDataset(root: string, name?: string, lock?: LockOptions): Promise<MigrateResult[]> {
  const names = name !== undefined ? [name] : await listDatasetNames(root);
  const out: MigrateResult[] = [];
  for (const n of names) {
    out.push(
      await withLock(
        datasetDir(root, n),
        async () => {
          const loaded = await loadDataset(root, n);
          if (loaded.layout !== '0.1') return { dataset: n, migrated: false, versions: loaded.nodes.size };
          const after = await migrateLoaded(root, loaded);
          return { dataset: n, migrated: true, versions: after.nodes.size };
        },
        lock,
      ),
    );
  }
  return out;
}
