/**
 * `run.json`: everything a reader needs about a finished run besides the per-case lines in
 * `results.jsonl`: which datasets (exact version and hash), which config, counts, comparison.
 */
import type { Comparison } from '../compare/types.js';
import type { RunJudge } from '../evaluators/judge-settings.js';

export const RUN_SCHEMA = 'evals.run/v1';

export interface RunDatasetRef {
  name: string;
  /**
   * What re-reads exactly this state: the first 12 hex of its state hash (`name@<prefix>`);
   * a number in runs recorded by 0.1.
   */
  version: string | number;
  /** Content hash of the dataset state the run used. */
  hash: string;
  cases: number;
}

/** The subset a filtered `evals run` ran (`--case`, `--tag`, …): the flags and the cases they chose. */
export interface RunSelection {
  filters: string;
  cases: Array<{ dataset: string; caseId: string }>;
}

export interface RunVariantInfo {
  name: string;
  pipeline: string;
  provider?: string;
  /** `baseline`: the sampled baseline (production replayed), not a candidate. */
  role?: 'baseline';
  model?: string;
  /** Short description of what changed (system prompt replaced, temperature…). */
  description?: string;
}

export interface RunRecord {
  schema: typeof RUN_SCHEMA;
  id: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'completed' | 'interrupted';
  /** Why an interrupted run stopped and how to finish it (only when `status` is `interrupted`). */
  interruption?: { reason: string; resumable: true; message: string };
  toolVersion: string;
  /** Config file path and hash of its content. */
  config: { file: string; hash: string };
  datasets: RunDatasetRef[];
  /** Present when the run was filtered to a subset; `--resume` runs the same cases. */
  selection?: RunSelection;
  variants: RunVariantInfo[];
  /**
   * The judge of the suite's model-graded evaluators (provider, model, whether verdicts were
   * replayed from the cache, each evaluator's effective judge). Comparing with a run graded by
   * another judge adds a warning to the gate's reasons.
   */
  judge?: RunJudge;
  repeat: number;
  shard?: { index: number; count: number };
  counts: { total: number; completed: number; errored: number; cached: number };
  costUsd: number;
  /**
   * `evals run --batch`: what the provider batches answered and what their half price saved
   * (`savedUsd`, over the whole run, resumed invocations included; `costUsd` is already net).
   */
  batch?: {
    savedUsd: number;
    /** Requests answered from batches, of which `errored` with an error. */
    answered: number;
    errored: number;
    /** Requests no batch ran (expired, cancelled, failed to submit): sent live. */
    unfinished: number;
    /** Units that ran live regardless (module/http pipelines). */
    live: number;
    batches: Array<{ provider: string; id: string; requests: number; status?: string }>;
  };
  durationMs?: number;
  comparison?: Comparison;
}
