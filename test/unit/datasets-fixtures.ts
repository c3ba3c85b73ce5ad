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
