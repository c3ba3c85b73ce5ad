/**
 * An evaluator scores one output of one case: `{ score 0..1, pass, reason }`.
 * Built-ins live in `builtin/` (one file each) and are listed in `registry.ts`; project
 * evaluators are written with `defineEvaluator` in `evaluators/*.ts`.
 */
import type { Fields } from '../config/fields.js';
import type { AssertionConfig, Case, CaseStep } from '../datasets/case.js';
import type { Provider } from '../providers/provider.js';
import type { ToolCall, Usage } from '../traces/model.js';

/** What the pipeline produced for a case (candidate) or what production produced (baseline). */
export interface EvaluatedOutput {
  output: string | null;
  toolCalls?: ToolCall[];
  finishReason?: string;
  usage?: Usage;
  latencyMs?: number;
  costUsd?: number;
  error?: { type?: string; message: string };
  /**
   * The steps behind this output: the candidate's recorded steps (`ctx.recordStep` in a module
   * pipeline, replay's model calls), or the case's captured steps for production's output.
   * `retrieval-drift` compares their retrievals.
   */
  steps?: CaseStep[];
}

export interface EvalContext {
  case: Case;
  /** The output being scored. */
  actual: EvaluatedOutput;
  /** Reference text: the case's `expected.output` when present, else the recorded output. */
  reference: string | null;
  /**
   * A configured provider for model-graded evaluators (`judge`), by name (default: the
   * variant's). Calls go through the run's cache, retries and spend, but not into the case's
   * own usage. Absent outside a run.
   */
  provider?: (name?: string) => Provider;
  /**
   * The suite's judge (config `judge:`): the provider `provider()` returns by default and the
   * model a model-graded project evaluator should ask, so a suite keeps one judge. Absent outside a run.
   */
  judge?: { provider: string; model: string };
}

export interface Score {
  /** Evaluator name as shown in reports (`contains`, `similarity`, or the config's `name`). */
  name: string;
  /** 0..1 */
  score: number;
  pass: boolean;
  reason: string;
  /**
   * Set by the runner, never by an evaluator: `unscored` when the evaluator threw, timed out or
   * returned an invalid score (the reason says which); `not_applicable` when it would grade an
   * output against itself. Such scores count in no statistic.
   */
  state?: 'unscored' | 'not_applicable';
  /** The evaluator's `weight`, when the config set one (see the `weighted` metric). */
  weight?: number;
}

export interface Evaluator {
  readonly name: string;
  /** Its share in the run's `weighted` metric (config option `weight`, any evaluator). Default 1. */
  readonly weight?: number;
  evaluate(ctx: EvalContext): Score | Promise<Score>;
}

/**
 * Builds an evaluator from its config entry. `fields` and `path` locate the entry (file, line,
 * dotted field) so invalid options raise a ConfigError that points at them.
 */
export type EvaluatorFactory = (config: AssertionConfig, fields: Fields, path: Array<string | number>) => Evaluator;

/** Typed helper for project evaluators in `evaluators/*.ts`. */
export function defineEvaluator(def: {
  name: string;
  evaluate: (ctx: EvalContext) => Score | Promise<Score> | Omit<Score, 'name'> | Promise<Omit<Score, 'name'>>;
}): Evaluator {
  return {
    name: def.name,
    async evaluate(ctx) {
      const r = await def.evaluate(ctx);
      return { name: def.name, ...r };
    },
  };
}
