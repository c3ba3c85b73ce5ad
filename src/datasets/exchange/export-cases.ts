/**
 * Exporting a version as JSONL: our own case shape (re-importable), or Langfuse dataset items
 * (`{input, expectedOutput, metadata}`) for teams that curate there too.
 */
import type { Case } from '../case.js';
import type { Json } from '../../traces/model.js';
import { parseRef } from '../storage/dataset-io.js';
import { readVersion } from '../storage/dataset-read.js';

/** Export shapes: `evals` (one case per line) or `langfuse` dataset items. */
export const exportShapes = ['evals', 'langfuse'] as const;
/** One of {@link exportShapes}. */
export type ExportShape = (typeof exportShapes)[number];

/** One Langfuse dataset item. `expectedOutput` is null when no person set one (never the production output). */
export interface LangfuseItem {
  input: Case['input'];
  expectedOutput: string | null;
  metadata: { caseId: string; traceId: string; source: string; tags: string[]; incident?: string; assertions?: Json };
}

/** Maps a case to a Langfuse dataset item (pure). */
export function toLangfuseItem(c: Case): LangfuseItem {
  const metadata: LangfuseItem['metadata'] = { caseId: c.id, traceId: c.provenance.traceId, source: c.provenance.source, tags: c.labels.tags };
  if (c.labels.incident !== undefined) metadata.incident = c.labels.incident;
  if (c.expected?.assertions !== undefined) metadata.assertions = c.expected.assertions as unknown as Json;
  return { input: c.input, expectedOutput: c.expected?.output ?? null, metadata };
}

/** Renders cases as JSONL in `shape` (pure). */
export function renderJsonl(cases: readonly Case[], shape: ExportShape = 'evals'): string {
  return cases.map((c) => JSON.stringify(shape === 'langfuse' ? toLangfuseItem(c) : c)).join('\n') + (cases.length > 0 ? '\n' : '');
}

/** Reads `ref` (`name`, `name@latest`, `name@<hash prefix>`, `name@N` of 0.1) and renders it as JSONL. */
export async function exportVersion(root: string, ref: string, shape: ExportShape = 'evals'): Promise<{ dataset: string; version: string; count: number; text: string }> {
  const r = parseRef(ref);
  const v = await readVersion(root, r.name, r.version);
  return { dataset: r.name, version: v.manifest.version, count: v.cases.length, text: renderJsonl(v.cases, shape) };
}
