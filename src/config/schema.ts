/**
 * The suite configuration (`evals.config.yaml` or `evals.config.ts`). Every option has a
 * default so a minimal config names only datasets and evaluators. `defineConfig` gives
 * TypeScript configs completion and checking.
 */
import type { AssertionConfig } from '../datasets/case.js';
import type { JudgeSettings } from '../evaluators/judge-settings.js';
import type { ProviderConfig } from '../providers/registry.js';
import type { Json, LlmParams } from '../traces/model.js';

export type { ProviderType } from '../providers/registry.js';

/** A provider entry as written in the config (the name is its key under `providers`). */
export type ProviderConfigEntry = Omit<ProviderConfig, 'name'>;

export interface PipelineConfig {
  /** `replay` (default): re-send the captured model call; `module`: your function; `http`: a running service. */
  type: 'replay' | 'module' | 'http';
  /** module: path to a .ts/.js file, relative to the config file. */
  path?: string;
  /** module: export name. Default `default`. */
  export?: string;
  /** http: endpoint URL. */
  url?: string;
  /** http: extra headers. */
  headers?: Record<string, string>;
  /** http: dotted path of the answer text in the JSON response. Default `output`. */
  outputPath?: string;
  /** replay: maximum model calls per case when the model keeps calling tools. Default 6. */
  maxToolRounds?: number;
}

export interface VariantConfig {
  /** Shown in reports. Default `candidate`. */
  name: string;
  /** Provider name (a key of `providers`). Default: the first provider. */
  provider?: string;
  /** Model to call. Default: the model production used. */
  model?: string;
  /**
   * Replaces the captured system prompt. A template: `{{original_system}}`, `{{context}}`
   * (retrieved documents), `{{query}}` and the case's captured prompt variables are available.
   */
  systemPrompt?: string;
  /** A file holding the system prompt, relative to the config file. */
  systemPromptFile?: string;
  /** Replaces the last user message; same template variables as `systemPrompt` (plus `{{original_user}}`). */
  promptTemplate?: string;
  /** Request parameters that override production's. */
  params?: LlmParams;
  /** Free-form options passed to module/http pipelines. */
  options?: Record<string, Json>;
}

export interface RunConfig {
  /** Cases in flight at once. Default 8. */
  concurrency: number;
  /** Times each case is run (to tell flaky from regressed). Default 1. */
  repeat: number;
  /** Per-request timeout, ms. Default 60000. */
  timeoutMs: number;
  /** Retries per model call after the first attempt. Default 4. */
  retries: number;
  /** Stop scheduling new cases once the spend reaches this (USD). Default: no limit. */
  maxCostUsd?: number;
  /** Response cache. Default true. */
  cache: boolean;
  /** Cache directory. Default `.evals/cache`. */
  cacheDir: string;
  /** Where run directories are written. Default `reports`. */
  outDir: string;
  /** Time one evaluator may take on one output before it is recorded as unscored, ms. Default 60000. */
  evaluatorTimeoutMs: number;
}

export interface GateConfig {
  /**
   * False-alarm rate of the whole gate on a run where nothing changed. Half goes to the per-case
   * confirmations together, half to the metric tests together. Default 0.05.
   */
  alpha: number;
  /** Fail when an incident case's expectations (expected output, assertions, evaluators) do not hold in the candidate, whatever production did. Default true. */
  incidentsMustHold: boolean;
  /** Share of an incident case's runs that must pass. Default 1 (every run). */
  incidentMinPassRate: number;
  /** Confirmed regressions tolerated (outside incidents). Default 0. */
  maxRegressions: number;
  /** A metric fails when its mean drops by more than this AND the drop is significant. Default 0.05. */
  maxMetricDrop: number;
  /** Below this many paired cases no aggregate metric test is run ("too few cases"). Default 10. */
  minCases: number;
  /** Share of runs that may get no output (provider errors after retries, skipped) before the gate fails. Default 0.05. */
  maxErrorRate: number;
  /** Fail when an evaluator errored or timed out on any run (the output was never judged). Default true. */
  failOnUnscored: boolean;
  /** Fail when a case of the baseline run was not run. Default true. */
  failOnMissing: boolean;
  /** An inconclusive verdict exits 0 instead of 1. Default false. */
  allowInconclusive: boolean;
  /** Confirmation re-runs of flips (see compare/confirm.ts). */
  confirm: {
    /** Re-run flips to confirm them. Default true. */
    enabled: boolean;
    /** Most confirmation runs per side and flip. Default 12. */
    maxRuns: number;
    /** Runs beyond the minimum that could reach significance. Default 1. */
    slack: number;
  };
}

export interface FlagConfig {
  /** Negative feedback flags (default on: score < 0.5, or false / thumbs_down); `false` turns it off. */
  feedback?: { below?: number; names?: string[]; falseIsFlag?: boolean } | false;
  tags?: string[];
  error?: boolean;
  attributes?: Array<{ key: string; equals?: Json; matches?: string }>;
}

export interface SnapshotConfig {
  /** Rules for `--flagged`. */
  flagged: FlagConfig;
  /** Extra redaction: regexes and field paths. */
  redact: { patterns: Array<{ name: string; regex: string }>; fields: string[] };
  /** Diagnosis thresholds. */
  diagnose: { retrieval?: { minScore?: number }; slow?: { absoluteMs?: number; factor?: number } };
}

export interface EvalsConfig {
  /** Dataset refs: `name`, `name@latest`, `name@3`. */
  datasets: string[];
  /** Directory holding datasets. Default `datasets`. */
  datasetsDir: string;
  providers: Record<string, ProviderConfigEntry>;
  pipeline: PipelineConfig;
  variants: VariantConfig[];
  /**
   * What candidates are compared with. `replay` (default for the replay pipeline): production's
   * own prompt and model, replayed as a variant named `production` and sampled like the
   * candidates; `recorded`: only the recorded production output (default for module and http
   * pipelines); or the name of one of `variants`, which then plays the baseline.
   */
  baseline?: string;
  evaluators: AssertionConfig[];
  /** Directory of project evaluators (`*.ts`/`*.js` default-exporting `defineEvaluator`). Default `evaluators`. */
  evaluatorsDir: string;
  /**
   * The judge of every model-graded evaluator (`judge`, `pairwise`, the RAG judges, `grounded`
   * with `judge: true`): `provider` (default: the first), `model` (default `gpt-4o-mini`),
   * `cache` (default true; false: judge verdicts are never replayed from the response cache).
   * An entry's own `provider` / `model` override it.
   */
  judge: JudgeSettings;
  run: RunConfig;
  gate: GateConfig;
  snapshot: SnapshotConfig;
  /** Extra prices, USD per million tokens. */
  pricing: Record<string, { input: number; output: number; cachedInput?: number }>;
}

/** What a user writes: every section optional except what has no sensible default. */
export type EvalsConfigInput = Partial<Omit<EvalsConfig, 'run' | 'gate' | 'snapshot' | 'pipeline' | 'providers' | 'judge'>> & {
  judge?: Partial<JudgeSettings>;
  run?: Partial<RunConfig>;
  gate?: Partial<Omit<GateConfig, 'confirm'>> & { confirm?: Partial<GateConfig['confirm']> };
  snapshot?: Partial<SnapshotConfig>;
  pipeline?: Partial<PipelineConfig>;
  providers?: Record<string, Partial<ProviderConfigEntry>>;
};

/** Typed helper for `evals.config.ts`. */
export function defineConfig(config: EvalsConfigInput): EvalsConfigInput {
  return config;
}

export const DEFAULT_RUN: RunConfig = {
  concurrency: 8,
  repeat: 1,
  timeoutMs: 60_000,
  retries: 4,
  cache: true,
  cacheDir: '.evals/cache',
  outDir: 'reports',
  evaluatorTimeoutMs: 60_000,
};

export const DEFAULT_GATE: GateConfig = {
  alpha: 0.05,
  incidentsMustHold: true,
  incidentMinPassRate: 1,
  maxRegressions: 0,
  maxMetricDrop: 0.05,
  minCases: 10,
  maxErrorRate: 0.05,
  failOnUnscored: true,
  failOnMissing: true,
  allowInconclusive: false,
  confirm: { enabled: true, maxRuns: 12, slack: 1 },
};
