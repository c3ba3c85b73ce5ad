/** Shared by the evaluators-*.test.ts files: a minimal case and a scorer through the registry. */
import { Fields } from '../../src/config/fields.js';
import type { AssertionConfig, Case } from '../../src/datasets/case.js';
import type { EvalContext, EvaluatedOutput, Score } from '../../src/evaluators/evaluator.js';
import { builtinEvaluators, type BuiltinEvaluatorType } from '../../src/evaluators/registry.js';

export const fields = new Fields('evals.config.yaml');

export function makeCase(over: Partial<Case> = {}): Case {
  return {
    schema: 'evals.case/v1',
    id: 'c_1',
    input: { messages: [{ role: 'user', content: 'how long do refunds take?' }] },
    context: { steps: [] },
    recorded: { output: 'Refunds take 5-7 business days.', latencyMs: 10, status: 'ok' },
    labels: { flaggedBecause: [], tags: [], diagnosis: [] },
    provenance: { source: 'test', traceId: 't', capturedAt: '2026-01-01T00:00:00Z', toolVersion: '0' },
    ...over,
  } as Case;
}

export function build(config: AssertionConfig) {
  return builtinEvaluators[config.type as BuiltinEvaluatorType](config, fields, ['evaluators', 0]);
}

/** Scores `actual`; `readReference` tells whether the evaluator read `ctx.reference`. */
export async function score(config: AssertionConfig, actual: EvaluatedOutput, c: Case = makeCase(), extra: Partial<EvalContext> = {}): Promise<Score & { readReference: boolean }> {
  let readReference = false;
  const ctx = { case: c, actual, ...extra } as EvalContext;
  Object.defineProperty(ctx, 'reference', {
    get() {
      readReference = true;
      return c.expected?.output ?? c.recorded.output;
    },
  });
  const s = await build(config).evaluate(ctx);
  return { ...s, readReference };
}
