/** Builders for dataset tests: small valid cases and a temporary store root. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_SCHEMA } from '../../src/datasets/case.js';
import type { Case } from '../../src/datasets/case.js';

/** A valid case without id for trace `traceId`; `answer` varies the content. */
export function makeCase(traceId: string, question = 'Where is my refund?', answer = 'It is on its way.'): Omit<Case, 'id'> {
  return {
    schema: CASE_SCHEMA,
    input: { query: question, messages: [{ role: 'system', content: 'You are a refund bot.' }, { role: 'user', content: question }], model: 'gpt-4o-mini' },
    context: { steps: [{ spanId: 's1', name: 'chat gpt-4o-mini', offsetMs: 0, durationMs: 812, status: 'ok' }] },
    recorded: { output: answer, latencyMs: 812, status: 'ok' },
    labels: { flaggedBecause: ['feedback:thumbs=0'], tags: ['refund'], diagnosis: [] },
    provenance: { source: 'otlp-json', traceId, capturedAt: '2026-11-27T10:00:00.000Z', toolVersion: '0.1.0' },
  };
}

/** A fresh temporary directory; call the returned cleanup in afterEach. */
export async function tempRoot(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'evals-datasets-'));
  return { root: join(dir, 'datasets'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes a dataset the way evals 0.1 did (`dataset.yaml` with `latest`, `versions/vNNNN.yaml`
 * listing every case), one version per entry of `versions` (each the full case list).
 */
export async function writeLegacyDataset(root: string, name: string, versions: ReadonlyArray<ReadonlyArray<Omit<Case, 'id'>>>): Promise<string[][]> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { computeCaseId } = await import('../../src/datasets/case.js');
  const { contentHash, renderCaseFile, renderDatasetMeta, renderVersion, sha256Hex } = await import('../../src/datasets/format/manifest.js');
  const dir = join(root, name);
  await mkdir(join(dir, 'cases'), { recursive: true });
  await mkdir(join(dir, 'versions'), { recursive: true });
  const ids: string[][] = [];
  let prev: Record<string, string> = {};
  for (const [i, list] of versions.entries()) {
    const cases: Record<string, string> = {};
    for (const body of list) {
      const c = { ...body, id: computeCaseId(body) } as Case;
      const text = renderCaseFile(c);
      await writeFile(join(dir, 'cases', `${c.id}.json`), text);
      cases[c.id] = sha256Hex(text);
    }
    const added = Object.keys(cases).filter((id) => prev[id] === undefined);
    const removed = Object.keys(prev).filter((id) => cases[id] === undefined);
    const created = `2026-11-2${i}T10:00:00.000Z`;
    const m = { version: i + 1, parent: i === 0 ? null : i, created, hash: contentHash(cases), provenance: { source: 'snapshot', traceIds: [], time: created, toolVersion: '0.1.0', redaction: {} }, changes: { added, removed }, cases };
    await writeFile(join(dir, 'versions', `v${String(i + 1).padStart(4, '0')}.yaml`), renderVersion(m));
    ids.push(Object.keys(cases).sort());
    prev = cases;
  }
  const meta = { name, latest: versions.length, created: '2026-11-20T10:00:00.000Z', redaction: { scheme: 'hmac-sha256' as const, salt: '0123456789abcdef0123456789abcdef' } };
  await writeFile(join(dir, 'dataset.yaml'), renderDatasetMeta(meta));
  return ids;
}
