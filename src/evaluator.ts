/**
 * `@evals-dev/evals/evaluator`: the light entry point for evaluator and pipeline authors.
 * `defineEvaluator` and the types an evaluator or module pipeline sees, and nothing that loads
 * a provider SDK, the runner or the reporters (the main entry loads both provider SDKs, which
 * costs most of a second). Only type imports below besides `defineEvaluator`: keep it so;
 * test/unit/evaluator-entry.test.ts checks it in a child process.
 */
export { defineEvaluator } from './evaluators/evaluator.js';
export type { Evaluator, EvalContext, Score, EvaluatedOutput } from './evaluators/evaluator.js';
export type { AssertionConfig, Case, CaseInput } from './datasets/case.js';
export type { ModuleContext, ModuleFunction } from './pipelines/module.js';
export type { ToolCall, Usage } from './traces/model.js';
