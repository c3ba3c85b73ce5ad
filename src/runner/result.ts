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
  /** 0-based repeat index; confirmation re-runs continue after the first pass's repeats. */
  repeat: number;
  /** `baseline` for runs of the sampled baseline (production replayed); absent for candidates. */
  role?: 'baseline';
  /** `confirm` for re-runs that confirm or rule out a flip (see compare/confirm.ts). */
  phase?: 'confirm';
  dataset: string;
  /**
   * The case's `labels.incident`, when it has one: the comparison and `--failing` read it from
   * here instead of reading every case again. Absent in results files written before 0.2.
   */
  incident?: string;
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
  /** True when a model call of this run was answered by a provider batch (`--batch`, priced at half). */
  batch?: true;
  /** What the batch price saved on this run against the list price, USD. */
  batchSavedUsd?: number;
  /** Retries the scheduler made for this case. */
  retries?: number;
  /**
   * Why there is no usable output. `source`: `provider` (the model was never reached or never
   * answered, after retries), `pipeline` (the candidate's own code failed: counts as a failing
   * run), `config` (the case's assertions are invalid).
   */
  error?: { type?: string; message: string; source?: 'provider' | 'pipeline' | 'config' };
  scores: Score[];
  /** True when every score passed and there is no error. */
  pass: boolean;
  /**
   * The recorded production output scored by the same evaluators (a reference, and one
   * baseline observation). Reference-based evaluators mark themselves not applicable here when
   * the reference IS this output. `answerMissing`: the trace's answer could not be recovered.
   */
  recorded?: { scores: Score[]; pass: boolean; output: string | null; answerMissing?: boolean };
  /** The candidate's own steps (replay's model calls, tool answers…), for the timeline. */
  steps?: CaseStep[];
  startedAt: string;
}
