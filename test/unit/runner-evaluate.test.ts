import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import type { EvalContext, Evaluator } from '../../src/evaluators/evaluator.js';
import type { Provider } from '../../src/providers/provider.js';
import { evaluateAll, invalidScore, runPasses } from '../../src/runner/evaluate.js';

const c = { id: 'c_1', input: { messages: [] }, recorded: { output: 'x', latencyMs: 0, status: 'ok' } } as unknown as Case;
const ctx = (extra: Partial<EvalContext> = {}): EvalContext => ({ case: c, actual: { output: 'x' }, reference: 'x', ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('evaluateAll', () => {
  it('records throwing, hanging and invalid evaluators as unscored, never as a 0 score', async () => {
    const evs: Evaluator[] = [
      { name: 'throws', evaluate: () => { throw new Error('boom'); } },
      { name: 'hangs', evaluate: () => new Promise(() => {}) },
      { name: 'nan', evaluate: () => ({ name: 'nan', score: NaN, pass: true, reason: '' }) },
      { name: 'ok', evaluate: () => ({ name: 'ok', score: 1, pass: true, reason: 'fine' }) },
    ];
    const scores = await evaluateAll(evs, ctx(), { timeoutMs: 50 });
    expect(scores.map((s) => s.state)).toEqual(['unscored', 'unscored', 'unscored', undefined]);
    expect(scores[1]!.reason).toContain('did not finish within 50 ms');
    expect(runPasses(scores, false)).toBe(false);
    expect(runPasses([scores[3]!], false)).toBe(true);
  });

  it('marks a reference reader not applicable when the reference is the scored output itself', async () => {
    const reads: Evaluator = { name: 'sim', evaluate: (x) => ({ name: 'sim', score: x.reference === 'x' ? 1 : 0, pass: true, reason: '' }) };
    const ignores: Evaluator = { name: 'len', evaluate: () => ({ name: 'len', score: 1, pass: true, reason: '' }) };
    const scores = await evaluateAll([reads, ignores], ctx(), { timeoutMs: 1000, referenceIsOutput: true });
    expect(scores.map((s) => s.state)).toEqual(['not_applicable', undefined]);
  });

  it('gives a model-graded evaluator its provider time on top of the evaluator timeout', async () => {
    const judge: Evaluator = {
      name: 'judge',
      async evaluate(x) {
        x.provider?.();
        await sleep(150);
        return { name: 'judge', score: 1, pass: true, reason: '' };
      },
    };
    const provider = (() => ({}) as Provider) as NonNullable<EvalContext['provider']>;
    const [withBudget] = await evaluateAll([judge], ctx({ provider }), { timeoutMs: 50, providerBudgetMs: 500 });
    expect(withBudget!.state).toBeUndefined();
    const [without] = await evaluateAll([judge], ctx({ provider }), { timeoutMs: 50 });
    expect(without!.state).toBe('unscored');
  });

  it('names what is wrong with a score', () => {
    expect(invalidScore({ score: 2, pass: true })).toBe('returned score 2, outside 0..1');
    expect(invalidScore({ score: 0.5, pass: 'yes' })).toBe('returned pass "yes", expected true or false');
    expect(invalidScore(null)).toBe('returned null instead of { score, pass, reason }');
    expect(invalidScore({ score: 0.5, pass: true })).toBeUndefined();
  });
});
