/**
 * The suite configuration (`evals.config.yaml` or `evals.config.ts`). Every option has a
 * default so a minimal config names only datasets and evaluators. `defineConfig` gives
 * TypeScript configs completion and checking.
 */
import type { AssertionConfig } from '../datasets/case.js';
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
}

export interface GateConfig {
  /** Fail when any case tied to an incident regresses. Default true. */
  incidentsMustNotRegress: boolean;
  /** Regressed cases tolerated (outside incidents). Default 0. */
  maxRegressions: number;
  /** Fail when a metric's mean drops by more than this and the drop is significant. Default 0.05. */
  maxMetricDrop: number;
  /** Fail when any candidate call errored. Default false (errors are reported, not gated). */
  failOnErrors: boolean;
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
  evaluators: AssertionConfig[];
  /** Directory of project evaluators (`*.ts`/`*.js` default-exporting `defineEvaluator`). Default `evaluators`. */
  evaluatorsDir: string;
  run: RunConfig;
  gate: GateConfig;
  snapshot: SnapshotConfig;
  /** Extra prices, USD per million tokens. */
  pricing: Record<string, { input: number; output: number; cachedInput?: number }>;
}

/** What a user writes: every section optional except what has no sensible default. */
export type EvalsConfigInput = Partial<Omit<EvalsConfig, 'run' | 'gate' | 'snapshot' | 'pipeline' | 'providers'>> & {
  run?: Partial<RunConfig>;
  gate?: Partial<GateConfig>;
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
};

export const DEFAULT_GATE: GateConfig = {
  incidentsMustNotRegress: true,
  maxRegressions: 0,
  maxMetricDrop: 0.05,
  failOnErrors: false,
};
