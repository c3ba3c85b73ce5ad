/**
 * `evals snapshot langfuse://` end to end: the real CLI against a local fake of the Langfuse
 * public API (keys from the environment), --flagged selecting on the server by score.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { langfuseTraceId, langfuseTraces } from '../contract/scenario-langfuse.js';
import { SCENARIO } from '../contract/scenario.js';
import { startFakeLangfuse } from '../support/fake-langfuse-api.js';
import { runCli } from '../support/cli.js';

describe('snapshot from the Langfuse API', () => {
  it('captures exactly the traces users scored low, with their model calls and documents', async () => {
    const docs = langfuseTraces();
    const rag = SCENARIO.find((t) => t.key === 'rag')!;
    const flagged = docs.find((d) => d.id === langfuseTraceId(rag))!;
    flagged.scores = [{ id: 's1', traceId: flagged.id, name: 'user_feedback', value: 0, dataType: 'NUMERIC', source: 'API', comment: 'wrong', timestamp: flagged.timestamp }];
    const fake = await startFakeLangfuse(docs);
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-lf-'));
    try {
      const env = { LANGFUSE_HOST: fake.url, LANGFUSE_PUBLIC_KEY: 'pk-lf-test', LANGFUSE_SECRET_KEY: 'sk-lf-test' };
      const r = await runCli(['snapshot', 'langfuse://', '--dataset', 'lf', '--flagged'], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('selected because: feedback:user_feedback=0');
      expect(fake.requests.some((q) => q.startsWith('GET /api/public/v2/scores?'))).toBe(true);
      const files = readdirSync(path.join(dir, 'datasets/lf/cases'));
      expect(files).toHaveLength(1);
      const c = JSON.parse(readFileSync(path.join(dir, 'datasets/lf/cases', files[0]!), 'utf8')) as Case;
      expect(c.provenance.traceId).toBe(flagged.id);
      expect(c.input.messages.length).toBeGreaterThan(0);
      expect(c.input.model).toBeTruthy();
      expect(c.context.steps.some((s) => s.step?.type === 'retrieval' && s.step.documents.length > 0)).toBe(true);
      const bad = await runCli(['snapshot', 'langfuse://', '--dataset', 'lf', '--flagged'], { cwd: dir, env: { ...env, LANGFUSE_SECRET_KEY: 'nope' } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('LANGFUSE_SECRET_KEY');
    } finally {
      await fake.close();
    }
  });
});
