/**
 * Datasets written by 0.1: `dataset.yaml` (with `latest` and the salt) and numbered manifests
 * `versions/vNNNN.yaml`, each listing every case. Converted, deterministically, to a chain of
 * layout-2 version files: version N becomes a node whose parent is the node of N-1, keeps its
 * number (so `name@3` still resolves) and records only what changed. The root node carries the
 * description and salt. Deterministic, so two branches that migrate the same dataset write the
 * same files, and git merges them as one. Pure.
 */
import type { DatasetMeta, VersionManifest } from '../format/manifest.js';
import { renderVersionNode, versionIdOf } from '../format/version-file.js';
import type { VersionNode } from '../format/version-file.js';

/** One converted version: the node (with its id) and the exact bytes of its file. */
export interface ConvertedVersion {
  node: VersionNode;
  text: string;
}

/** Converts `dataset.yaml` and its manifests (versions 1..latest, in order) into DAG nodes. */
export function convertLegacy(meta: DatasetMeta, manifests: readonly VersionManifest[]): ConvertedVersion[] {
  const out: ConvertedVersion[] = [];
  let prev: { id: string; cases: Record<string, string> } | undefined;
  for (const m of manifests) {
    const added: Record<string, string> = {};
    for (const [id, h] of Object.entries(m.cases)) if (prev?.cases[id] === undefined) added[id] = h;
    const removed = Object.keys(prev?.cases ?? {}).filter((id) => m.cases[id] === undefined);
    const body: Omit<VersionNode, 'id'> = {
      parents: prev === undefined ? [] : [prev.id],
      number: m.version,
      created: m.created,
      hash: m.hash,
      ...(prev === undefined ? { dataset: { ...(meta.description !== undefined ? { description: meta.description } : {}), redaction: meta.redaction } } : {}),
      provenance: m.provenance,
      changes: { added, removed, replaced: {} },
    };
    const text = renderVersionNode(body);
    const id = versionIdOf(text);
    out.push({ node: { ...body, id }, text });
    prev = { id, cases: m.cases };
  }
  return out;
}
