/** The suite judge (config `judge:`): defaults filled into model-graded entries, the run.json record, the compare warning. */
import { describe, expect, it } from 'vitest';
import { parseYamlConfig } from '../../src/config/load.js';
import type { Evaluator } from '../../src/evaluators/evaluator.js';
import { callsJudge, describeJudge, judgeDifferences, withJudgeDefaults } from '../../src/evaluators/judge-settings.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';
import type { LlmRequest, Provider } from '../../src/providers/provider.js';
import { fields, makeCase } from './evaluators-helpers.js';

describe('the suite judge', () => {
  it('reads judge: { provider, model, cache } with defaults, and rejects unknown keys and wrong types', () => {
    expect(parseYamlConfig('datasets: [a]\n', 'c.yaml').config.judge).toEqual({ model: 'gpt-4o-mini', cache: true, temperature: 0 });
    expect(parseYamlConfig('judge: { provider: openai, model: gpt-4.1, cache: false }\n', 'c.yaml').config.judge).toEqual({ provider: 'openai', model: 'gpt-4.1', cache: false, temperature: 0 });
    expect(parseYamlConfig('judge: { temperature: 0.7 }\n', 'c.yaml').config.judge.temperature).toBe(0.7);
    expect(() => parseYamlConfig('judge:\n  temperature: 3\n', 'c.yaml')).toThrow(/field judge.temperature/);
    expect(() => parseYamlConfig('judge:\n  temprature: 0\n', 'c.yaml')).toThrow(/line 2, field judge.temprature/);
    expect(() => parseYamlConfig('judge:\n  cache: sometimes\n', 'c.yaml')).toThrow(/field judge.cache/);
  });

  it('fills the suite model and provider into model-graded entries only, never over their own', () => {
    const judge = { provider: 'grader', model: 'judge-m' };
    expect(withJudgeDefaults({ type: 'judge', rubric: 'r' }, judge)).toEqual({ type: 'judge', rubric: 'r', provider: 'grader', model: 'judge-m' });
    expect(withJudgeDefaults({ type: 'pairwise', rubric: 'r', model: 'own' }, judge)).toMatchObject({ model: 'own', provider: 'grader' });
    expect(withJudgeDefaults({ type: 'grounded' }, judge)).toEqual({ type: 'grounded' });
    expect(withJudgeDefaults({ type: 'faithfulness', judge: true }, judge)).toMatchObject({ model: 'judge-m' });
    // An embedding model is not a judge: semantic-similarity keeps its own default.
    expect(withJudgeDefaults({ type: 'semantic-similarity' }, judge)).toEqual({ type: 'semantic-similarity' });
    expect(['judge', 'pairwise', 'answer-relevance', 'context-relevance'].every((type) => callsJudge({ type }))).toBe(true);
    expect(callsJudge({ type: 'contains' })).toBe(false);
  });

  it('sends a judge entry without a model to the suite judge, and one with a model to its own', async () => {
    const resolver = await EvaluatorResolver.create('/nonexistent', { provider: 'grader', model: 'judge-m' });
    const [plain, own] = resolver.resolveAll([{ type: 'judge', rubric: 'r' }, { type: 'answer-relevance', model: 'own' }], fields, ['evaluators']) as [Evaluator, Evaluator];
    const seen: Array<{ provider: string | undefined; model: string }> = [];
    const providers = (name?: string): Provider => ({
      name: name ?? 'default',
      api: 'openai-chat',
      complete: async (req: LlmRequest) => {
        seen.push({ provider: name, model: req.model });
        return { content: '{"score": 1, "reason": "ok"}', toolCalls: [], latencyMs: 1 };
      },
    });
    const ctx = { case: makeCase(), actual: { output: 'Refunds take 5-7 business days.' }, reference: null, provider: providers };
    await plain.evaluate(ctx);
    await own.evaluate(ctx);
    expect(seen).toEqual([{ provider: 'grader', model: 'judge-m' }, { provider: 'grader', model: 'own' }]);
  });

  it('records each model-graded entry with its effective judge', () => {
    const configs = [{ type: 'contains', value: 'x' }, { type: 'judge', name: 'policy', rubric: 'r' }, { type: 'pairwise', rubric: 'r', provider: 'b', model: 'm2' }];
    expect(describeJudge(configs, { model: 'm1', cache: false, temperature: 0 }, 'a')).toEqual({
      provider: 'a',
      model: 'm1',
      cache: false,
      temperature: 0,
      evaluators: [
        { evaluator: 'policy', type: 'judge', provider: 'a', model: 'm1' },
        { evaluator: 'pairwise', type: 'pairwise', provider: 'b', model: 'm2' },
      ],
    });
  });

  it('names every evaluator whose judge differs between two runs, and nothing when they agree', () => {
    const a = describeJudge([{ type: 'judge', name: 'policy', rubric: 'r' }, { type: 'answer-relevance' }], { model: 'm1', cache: true, temperature: 0 }, 'p');
    const b = describeJudge([{ type: 'judge', name: 'policy', rubric: 'r' }, { type: 'answer-relevance', model: 'm1' }], { model: 'm2', cache: false, temperature: 0 }, 'p');
    expect(judgeDifferences(a, b)).toEqual(['evaluator "policy" was graded by p/m1 in the baseline run and by p/m2 here: its scores are not comparable']);
    // Caching is not the judge: a fresh verdict of the same model is comparable.
    expect(judgeDifferences(a, { ...a, cache: false })).toEqual([]);
    expect(judgeDifferences(undefined, b)).toEqual([]);
  });

  it('samples the judge at the suite temperature: 0 with a fixed seed, above 0 without one (fresh per repeat)', async () => {
    const seen: LlmRequest[] = [];
    const providers = (): Provider => ({
      name: 'p',
      api: 'openai-chat',
      complete: async (req: LlmRequest) => {
        seen.push(req);
        return { content: req.messages[0]!.content!.includes('compare two answers') ? '{"winner": "tie"}' : '{"score": 1, "reason": "ok"}', toolCalls: [], latencyMs: 1 };
      },
    });
    const ctx = { case: makeCase(), actual: { output: 'Other words.' }, reference: null, provider: providers };
    const cold = await EvaluatorResolver.create('/nonexistent', { model: 'm' });
    await cold.resolve({ type: 'judge', rubric: 'r' }, fields, ['evaluators', 0]).evaluate(ctx);
    expect(seen.pop()!.params).toEqual({ temperature: 0, seed: 0 });
    const warm = await EvaluatorResolver.create('/nonexistent', { model: 'm', temperature: 0.7 });
    for (const config of [{ type: 'judge', rubric: 'r' }, { type: 'answer-relevance' }, { type: 'pairwise', rubric: 'r' }, { type: 'faithfulness', judge: true, threshold: 0 }]) {
      await warm.resolve(config, fields, ['evaluators', 0]).evaluate(ctx);
      expect(seen.pop()!.params, config.type).toEqual({ temperature: 0.7 });
    }
    // An entry's own temperature wins.
    await warm.resolve({ type: 'judge', rubric: 'r', temperature: 0 }, fields, ['evaluators', 0]).evaluate(ctx);
    expect(seen.pop()!.params).toEqual({ temperature: 0, seed: 0 });
  });
});
