/**
 * Shared fixtures of the runner tests: synthetic cases, a minimal pipeline that sends the
 * case's captured messages through `ctx.provider()` (the real SDK over HTTP to the fake
 * provider), and a plan builder.
 */
import { CASE_SCHEMA, computeCaseId, type AssertionConfig, type Case } from '../../src/datasets/case.js';
import { defineEvaluator, type Evaluator } from '../../src/evaluators/evaluator.js';
import type { Pipeline } from '../../src/pipelines/pipeline.js';
import { createProvider, type ProviderType } from '../../src/providers/registry.js';
import type { Provider } from '../../src/providers/provider.js';
import type { RunPlan } from '../../src/runner/run-plan.js';

/** A synthetic case whose user message is `question <i>`. */
export function makeCase(i: number, model = 'gpt-4o-mini'): Case {
  const body: Omit<Case, 'id'> = {
    schema: CASE_SCHEMA,
    input: { messages: [{ role: 'system', content: 'You answer briefly.' }, { role: 'user', content: `question ${i}` }], model, params: { maxTokens: 50 } },
    context: { steps: [] },
    recorded: { output: `[fake:${model}] question ${i}`, latencyMs: 100, status: 'ok' },
    labels: { flaggedBecause: ['test'], tags: [], diagnosis: [] },
    provenance: { source: 'test', traceId: `t${i}`, capturedAt: '2026-01-01T00:00:00Z', toolVersion: '0.0.0' },
  };
  return { ...body, id: computeCaseId(body) };
}

/** Replays the captured call through the runner-wrapped provider. */
export const replayMessages: Pipeline = {
  kind: 'test-replay',
  async run(c, ctx) {
    const r = await ctx.provider().complete({ model: ctx.variant.overrides.model ?? c.input.model ?? 'gpt-4o-mini', messages: c.input.messages, params: c.input.params ?? {} });
    return { output: r.content, toolCalls: r.toolCalls, ...(r.finishReason ? { finishReason: r.finishReason } : {}), ...(r.model ? { model: r.model } : {}) };
  },
};

/** Passes when the output is non-empty. */
export const nonEmpty: Evaluator = defineEvaluator({
  name: 'non-empty',
  evaluate: ({ actual }) => ({ score: actual.output ? 1 : 0, pass: Boolean(actual.output), reason: actual.output ? 'has output' : 'empty' }),
});

/** Builds `contains` evaluators from case assertions. */
export function buildContains(assertions: AssertionConfig[]): Evaluator[] {
  return assertions.map((a) =>
    defineEvaluator({
      name: `contains:${String(a.value)}`,
      evaluate: ({ actual }) => {
        const ok = (actual.output ?? '').includes(String(a.value));
        return { score: ok ? 1 : 0, pass: ok, reason: ok ? 'found' : 'missing' };
      },
    }),
  );
}

/** A provider of `type` pointed at the fake server. */
export function fakeProvider(url: string, type: ProviderType = 'openai', extra: { timeoutMs?: number; headers?: Record<string, string> } = {}): Provider {
  return createProvider({ name: 'fake', type, apiKey: 'test-key', baseUrl: type === 'anthropic' ? url : `${url}/v1`, ...extra });
}

/** A plan over `n` cases with one variant on the fake provider. */
export function makePlan(runDir: string, url: string, n: number, over: Partial<RunPlan> = {}): RunPlan {
  return {
    runDir,
    runId: 'test-run',
    items: Array.from({ length: n }, (_, i) => ({ dataset: 'ds', case: makeCase(i) })),
    variants: [{ name: 'default', pipeline: replayMessages, evaluators: [nonEmpty], overrides: {}, options: {}, provider: 'fake' }],
    providers: { fake: fakeProvider(url, 'openai', { timeoutMs: 2000 }) },
    repeat: 1,
    concurrency: 16,
    retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 100 },
    pricing: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } },
    buildEvaluators: buildContains,
    ...over,
  };
}
