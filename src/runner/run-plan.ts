/**
 * What `runSuite` is asked to do, and what it reports back. The CLI builds a RunPlan from the
 * config; tests build one by hand.
 */
import type { AssertionConfig } from '../datasets/case.js';
import type { Obs } from '../compare/observations.js';
import type { GateConfig } from '../config/schema.js';
import type { Evaluator } from '../evaluators/evaluator.js';
import type { RunJudge } from '../evaluators/judge-settings.js';
import type { Pipeline, VariantOverrides } from '../pipelines/pipeline.js';
import type { PriceTable } from '../providers/pricing.js';
import type { Provider } from '../providers/provider.js';
import type { Json } from '../traces/model.js';
import type { PlanItem } from './plan-items.js';
import type { SlimScan } from './results.js';
import type { ProgressReporter } from './progress.js';
import type { CaseResult } from './result.js';
import type { RunDatasetRef, RunRecord, RunSelection } from './run-record.js';
import type { RetryOptions } from './schedule.js';
import type { Shard } from './shard.js';

/** One variant: a pipeline with its evaluators and overrides. */
export interface RunVariant {
  name: string;
  pipeline: Pipeline;
  evaluators: Evaluator[];
  overrides: VariantOverrides;
  options: Record<string, Json>;
  /** Default provider name for `ctx.provider()`. */
  provider: string;
  /** `baseline`: this variant is the sampled baseline (production replayed), not a candidate. */
  role?: 'baseline';
}

/** Everything one invocation runs. Units are case × variant × repeat, filtered by shard and resume. */
export interface RunPlan {
  /** Directory of run.json and results.jsonl (created). */
  runDir: string;
  runId: string;
  /**
   * The cases, in run order: `{ dataset, case }` held whole, or `{ dataset, id, load }` read when
   * its units are about to be scheduled (what `evals run` builds; see plan-items.ts).
   */
  items: PlanItem[];
  variants: RunVariant[];
  providers: Record<string, Provider>;
  /** Repeats per case × variant. Default 1. */
  repeat?: number;
  /** Cases in flight at most. Default 8. */
  concurrency?: number;
  retry?: RetryOptions;
  /** Per provider request, ms. Default: the provider's own (60 000). */
  timeoutMs?: number;
  /** Per evaluator and output, ms. Default 60 000. */
  evaluatorTimeoutMs?: number;
  /** Provider the `judge` and other model-graded evaluators use by default. Default: the first. */
  judgeProvider?: string;
  /** False: model-graded evaluators' calls bypass the response cache (config `judge.cache`, `--no-judge-cache`). Default true. */
  judgeCache?: boolean;
  /**
   * Flip confirmation (re-runs of cases that passed less often than the baseline); absent: off.
   * `incidents` (by `dataset\0caseId`) may be empty: the results' own `incident` fields count too.
   */
  confirm?: { gate: GateConfig; incidents: ReadonlyMap<string, string>; baselineRun?: { label: string; entries: ReadonlyMap<string, Obs[]> } };
  /** Stop scheduling new cases once spend reaches this (USD). */
  maxCostUsd?: number;
  /** Response cache; absent or `enabled: false` (`--no-cache`) means every call is live. */
  cache?: { dir: string; enabled: boolean };
  /**
   * Provider batch APIs (`--batch`): the first pass's replay calls go through OpenAI Batch /
   * Anthropic Message Batches at half price, polled every `pollMs`; absent: every call is live.
   */
  batch?: { pollMs: number };
  /** Skip results already in results.jsonl. Default false (a fresh run truncates nothing, it appends). */
  resume?: boolean;
  shard?: Shard;
  pricing: PriceTable;
  /** Evaluators for a case's own `expected.assertions` (throws ConfigError when invalid). */
  buildEvaluators: (assertions: AssertionConfig[]) => Evaluator[];
  /** Facts for run.json the runner cannot know. */
  record?: { toolVersion?: string; config?: { file: string; hash: string }; datasets?: RunDatasetRef[]; selection?: RunSelection; judge?: RunJudge };
}

/** Optional callbacks and controls of a run. */
export interface RunHooks {
  /** Aborting stops scheduling and cancels in-flight calls; the run is left resumable. */
  signal?: AbortSignal;
  /** Abort on the first SIGINT or SIGTERM (default false; the CLI turns it on). */
  handleSigint?: boolean;
  /** The caller already holds the run directory's lock (see runner/run-dir.ts). Default false. */
  lockHeld?: boolean;
  progress?: ProgressReporter;
  /** Called after each result line is queued, in write order. */
  onResult?: (result: CaseResult) => void;
  /** Status lines of the batch phase (submissions, polls); default: dropped. */
  log?: (line: string) => void;
}

/** Counts of this invocation (not of earlier, resumed ones, except `alreadyDone`). */
export interface RunCounts {
  /** Units (case × variant × repeat) in this shard. */
  total: number;
  /** Results written by this invocation, budget skips excluded. */
  done: number;
  errored: number;
  passed: number;
  cached: number;
  skippedByBudget: number;
  /** Found in results.jsonl at start and not run again. */
  alreadyDone: number;
  /** Not run because the run was interrupted. */
  notStarted: number;
}

/** What `runSuite` returns; the per-case data is in `<runDir>/results.jsonl`. */
export interface RunOutcome {
  runId: string;
  runDir: string;
  status: 'completed' | 'interrupted';
  /** Why an interrupted run stopped (`interrupted (SIGTERM)`). */
  reason?: string;
  counts: RunCounts;
  /** Spend of live calls in this invocation. */
  costUsd: number;
  /** Live calls whose model had no price, by model. */
  unknownCostModels: Record<string, number>;
  retries: number;
  durationMs: number;
  budgetReached: boolean;
  /** What `--batch` did (also in run.json). */
  batch?: NonNullable<RunRecord['batch']>;
  /** results.jsonl as confirmation last read it, when nothing was written after (the reports need not read it again). */
  scan?: SlimScan;
}
