/** The repository's pipeline-aware project evaluator (evaluators/cites-retrieved.ts), loaded as a user's would be. */
import { describe, expect, it } from 'vitest';
import type { CaseStep } from '../../src/datasets/case.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';
import { fields, makeCase } from './evaluators-helpers.js';

const retrieval = (ids: string[]): CaseStep => ({
  spanId: 'r',
  name: 'retrieve',
  offsetMs: 0,
  durationMs: 1,
  status: 'ok',
  step: { type: 'retrieval', documents: ids.map((id) => ({ id, content: id })) },
});
const c = makeCase({ context: { steps: [retrieval(['kb-refunds', 'kb-shipping'])] } });

describe('evaluators/cites-retrieved.ts', async () => {
  const ev = (await EvaluatorResolver.create('evaluators')).resolve({ type: 'cites-retrieved' }, fields, ['evaluators', 0]);
  const run = (output: string, steps?: CaseStep[]) => ev.evaluate({ case: c, actual: { output, ...(steps ? { steps } : {}) }, reference: null });

  it('passes citations of retrieved documents', async () => {
    expect(await run('{"answer":"5-7 business days","citations":["kb-refunds"]}')).toMatchObject({ pass: true, score: 1 });
  });

  it("fails a citation nobody retrieved, using the candidate's own retrieval when it has one", async () => {
    const r = await run('{"answer":"90 days","citations":["kb-refunds-2019"]}');
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toContain('kb-refunds-2019');
    expect((await run('{"citations":["kb-refunds"]}', [retrieval(['kb-returns'])])).pass).toBe(false);
  });
});
