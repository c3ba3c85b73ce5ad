/**
 * The two kinds of file a dataset write creates, each named by a hash of its content and so
 * written at most once: case files and version files. Also the version that records a git
 * merge (all heads as parents), which a write adds before its own change.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from '../case.js';
import { syncDir, writeFileAtomic } from '../../durable/atomic-file.js';
import { renderCaseFile, sha256Hex } from '../format/manifest.js';
import { renderVersionNode, versionIdOf } from '../format/version-file.js';
import type { VersionNode } from '../format/version-file.js';
import { TOOL_VERSION } from '../../version.js';
import { caseFilePath, datasetDir, nodeFilePath } from './dataset-io.js';
import type { HeadsState } from './dataset-state.js';

/** Writes a version file named by the hash of its bytes; an existing file of that name already holds them. */
export async function writeNodeOnce(root: string, name: string, body: Omit<VersionNode, 'id'>): Promise<string> {
  const text = renderVersionNode(body);
  const id = versionIdOf(text);
  if (!existsSync(nodeFilePath(root, name, id))) await writeFileAtomic(nodeFilePath(root, name, id), text);
  return id;
}

/** Case files are content-addressed: an existing file with this id is kept, never rewritten. */
export async function writeCaseOnce(root: string, name: string, c: Case, rendered?: string): Promise<string> {
  const file = caseFilePath(root, name, c.id);
  if (existsSync(file)) return sha256Hex(await readFile(file, 'utf8'));
  const text = rendered ?? renderCaseFile(c);
  await writeFileAtomic(file, text, { syncDir: false });
  return sha256Hex(text);
}

/** Writes the merged state of several heads as one version with all of them as parents. */
export async function recordMerge(root: string, name: string, state: HeadsState, now: string): Promise<VersionNode> {
  const pending = [...state.pending.values()];
  await Promise.all(pending.map((p) => writeCaseOnce(root, name, p.c, p.text)));
  if (pending.length > 0) await syncDir(join(datasetDir(root, name), 'cases'));
  const body: Omit<VersionNode, 'id'> = {
    parents: state.heads,
    created: now,
    hash: state.hash,
    provenance: { source: 'merge', traceIds: [], note: `merged ${state.heads.length} heads`, time: now, toolVersion: TOOL_VERSION, redaction: {} },
    changes: {
      added: Object.fromEntries(Object.keys(state.cases).filter((id) => state.base[id] === undefined).map((id) => [id, state.cases[id] as string])),
      removed: Object.keys(state.base).filter((id) => state.cases[id] === undefined),
      replaced: state.replaced,
    },
  };
  return { ...body, id: await writeNodeOnce(root, name, body) };
}

