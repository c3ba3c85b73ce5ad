/**
 * The suite's judge: one provider and model for every model-graded evaluator (config `judge:`),
 * which an evaluator entry may override with its own `provider` / `model`. The resolver fills
 * the suite's choice into the entries that call a judge, and the run records the result in
 * run.json (`judge`), so two runs graded by different judges are never compared silently.
 */
import type { AssertionConfig } from '../datasets/case.js';

/** Model a judge uses when neither the suite nor the entry names one. */
export const DEFAULT_JUDGE_MODEL = 'gpt-4o-mini';

/** The suite-level judge (config `judge:`). */
export interface JudgeSettings {
  /** Provider name (a key of `providers`). Default: the first provider. */
  provider?: string;
  /** Default `gpt-4o-mini`. */
  model: string;
  /**
   * Replay judge verdicts from the response cache. Default true; `false` (or `evals run
   * --no-judge-cache`) sends every judge call live and stores nothing, so a cached suite (in CI
   * too) still gets fresh verdicts.
   */
  cache: boolean;
  /**
   * Sampling temperature of judge calls (0..2). Default 0, with a fixed seed: repeats are
   * separate calls but a deterministic judge answers them alike. Above 0, no seed: each repeat
   * is a fresh sample of the judge.
   */
  temperature: number;
}

/** One model-graded evaluator of the suite and the judge it asks, as run.json records it. */
export interface JudgeUse {
  evaluator: string;
  type: string;
  provider: string;
  model: string;
}

/** The judge of a run, in run.json. */
export interface RunJudge {
  provider: string;
  model: string;
  cache: boolean;
  temperature: number;
  /** The suite's model-graded evaluators (case assertions are not listed). */
  evaluators: JudgeUse[];
}

/** Built-ins that call a judge model: always, or (`grounded`/`faithfulness`) with `judge: true`. */
const JUDGE_TYPES: ReadonlySet<string> = new Set(['judge', 'pairwise', 'answer-relevance', 'context-relevance']);

/** Whether this entry calls a judge model. */
export function callsJudge(config: AssertionConfig): boolean {
  if (JUDGE_TYPES.has(config.type)) return true;
  return (config.type === 'grounded' || config.type === 'faithfulness') && config.judge === true;
}

/** The entry with the suite judge's provider and model filled in where it names none. */
export function withJudgeDefaults(config: AssertionConfig, judge: Pick<JudgeSettings, 'provider' | 'model'> & { temperature?: number }): AssertionConfig {
  if (!callsJudge(config)) return config;
  return {
    ...config,
    ...(config.temperature === undefined && judge.temperature ? { temperature: judge.temperature } : {}),
    ...(config.model === undefined ? { model: judge.model } : {}),
    ...(config.provider === undefined && judge.provider !== undefined ? { provider: judge.provider } : {}),
  };
}

/** The judge record of a suite: its setting and each model-graded entry's effective judge. */
export function describeJudge(configs: readonly AssertionConfig[], judge: JudgeSettings, defaultProvider: string): RunJudge {
  const provider = judge.provider ?? defaultProvider;
  const evaluators = configs.filter(callsJudge).map((c) => {
    const filled = withJudgeDefaults(c, { provider, model: judge.model });
    return { evaluator: typeof c.name === 'string' ? c.name : c.type, type: c.type, provider: String(filled.provider), model: String(filled.model) };
  });
  return { provider, model: judge.model, cache: judge.cache, temperature: judge.temperature, evaluators };
}

/**
 * Why two runs' judges make their model-graded scores incomparable, one line per evaluator
 * whose judge differs (empty when they agree, or when either run recorded no judge).
 */
export function judgeDifferences(baseline: RunJudge | undefined, candidate: RunJudge | undefined): string[] {
  if (!baseline || !candidate) return [];
  const theirs = new Map(baseline.evaluators.map((e) => [e.evaluator, e]));
  const out: string[] = [];
  for (const mine of candidate.evaluators) {
    const base = theirs.get(mine.evaluator);
    if (!base || (base.provider === mine.provider && base.model === mine.model)) continue;
    out.push(`evaluator "${mine.evaluator}" was graded by ${base.provider}/${base.model} in the baseline run and by ${mine.provider}/${mine.model} here: its scores are not comparable`);
  }
  return out;
}
