/**
 * One line of `results.jsonl`: one case × variant × repeat, with the candidate output, its
 * scores, and the baseline's scores on the same evaluators. Errors are data: a failed model
 * call is a result with `error` set, never a crash.
 */
import type { Score } from '../evaluators/evaluator.js';
import type { ToolCall, Usage } from '../traces/model.js';
import type { CaseStep } from '../datasets/case.js';

export interface CaseResult {
  caseId: string;
  /** Variant name (`default` when the suite has one). */
  variant: string;
  /** 0-based repeat index. */
  repeat: number;
  dataset: string;
  output: string | null;
  toolCalls?: ToolCall[];
  finishReason?: string;
  model?: string;
  /** Config name of the provider the candidate's model calls went to (replay routes by the recorded API). */
  provider?: string;
  /** That provider's API: `openai-chat`, `openai-responses`, `anthropic-messages`. */
  api?: string;
  usage?: Usage;
  /** Wall time of the pipeline for this case, ms (0 for cache hits). */
  latencyMs: number;
  costUsd?: number;
  /** True when every provider call was served from the cache. */
  cached?: boolean;
  /** Retries the scheduler made for this case. */
  retries?: number;
  error?: { type?: string; message: string };
  scores: Score[];
  /** True when every score passed and there is no error. */
  pass: boolean;
  /**
   * Scores of the baseline (recorded production output) on the same evaluators. `unknown` when
   * production's answer could not be recovered from the trace (`recorded.outputMissing`): the
   * comparison then has no baseline verdict for the case (never "fixed").
   */
  baseline?: { scores: Score[]; pass: boolean; output: string | null; unknown?: string };
  /** The candidate's own steps (replay's model calls, tool answers…), for the timeline. */
  steps?: CaseStep[];
  startedAt: string;
}
