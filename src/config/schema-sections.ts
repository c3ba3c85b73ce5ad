/**
 * The sections of the config schema (schema.ts puts them together). The JSDoc of each field is
 * what an editor shows on hover in `evals.config.ts`, and test/support/config-schema.ts copies it
 * into the `description`s of schemas/config.schema.json: write it once, here.
 */
import * as v from 'valibot';
import type { AssertionConfig } from '../datasets/case.js';
import { DEFAULT_JUDGE_MODEL } from '../evaluators/judge-settings.js';
import type { ProviderType } from '../providers/registry.js';
import { bool, jsonMap, list, mapping, num, oneOf, opt, recordOf, regexString, says, str, typedEntry, withDefault } from './schema-kit.js';

const PROVIDER_TYPES = ['openai', 'openai-responses', 'anthropic'] as const satisfies readonly ProviderType[];
// Fails to compile when providers/registry.ts gains a type this list does not name.
const _allProviderTypes: readonly (typeof PROVIDER_TYPES)[number][] = [] as ProviderType[];
void _allProviderTypes;

export const ProviderSchema = mapping({
  /** `openai` (Chat Completions; any OpenAI-compatible URL: vLLM, Ollama, gateways), `openai-responses` or `anthropic`. Default `openai`. */
  type: withDefault(oneOf(PROVIDER_TYPES), 'openai'),
  /** Base URL. Default: the SDK's own, which honours `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`. */
  baseUrl: opt(v.pipe(str(), v.regex(/^https?:\/\//, says('must be an http(s) URL', 'http://… or https://…')))),
  /** Literal key; prefer `apiKeyEnv`, or `${MY_KEY}`. */
  apiKey: opt(str()),
  /** Environment variable holding the key. Default `OPENAI_API_KEY` / `ANTHROPIC_API_KEY` by type. */
  apiKeyEnv: opt(str()),
  /** Per-request timeout, ms. Default: `run.timeoutMs`. */
  timeoutMs: opt(num({ min: 1 })),
  /** Extra HTTP headers on every request. */
  headers: opt(recordOf(str())),
});

export const PipelineSchema = v.pipe(
  mapping({
    /** `replay` (default): re-send the captured model call; `module`: your function; `http`: a running service. */
    type: withDefault(oneOf(['replay', 'module', 'http']), 'replay'),
    /** module: path to a .ts/.js file, relative to the config file. */
    path: opt(str()),
    /** module: export name. Default `default`. */
    export: opt(str()),
    /** http: endpoint URL. */
    url: opt(str()),
    /** http: extra headers. */
    headers: opt(recordOf(str())),
    /** http: dotted path of the answer text in the JSON response. Default `output`. */
    outputPath: opt(str()),
    /** replay: maximum model calls per case when the model keeps calling tools. Default 6. */
    maxToolRounds: opt(num({ min: 1, integer: true })),
  }),
  v.forward(v.partialCheck([['type'], ['path']], (p) => p.type !== 'module' || p.path !== undefined, says('is required by `type: module`', 'a path to a .ts/.js file')), ['path']),
  v.forward(v.partialCheck([['type'], ['url']], (p) => p.type !== 'http' || p.url !== undefined, says('is required by `type: http`', 'an http(s) URL')), ['url']),
);

const ParamsSchema = mapping({
  /** 0..2. */
  temperature: opt(num({ min: 0, max: 2 })),
  maxTokens: opt(num({ min: 1, integer: true })),
  /** 0..1. */
  topP: opt(num({ min: 0, max: 1 })),
  topK: opt(num({ min: 1, integer: true })),
  /** -2..2. */
  frequencyPenalty: opt(num({ min: -2, max: 2 })),
  /** -2..2. */
  presencePenalty: opt(num({ min: -2, max: 2 })),
  stop: opt(list(str())),
  seed: opt(num({ min: -(2 ** 53), integer: true })),
  /** Provider-specific request fields, sent as given. */
  extra: opt(jsonMap()),
});

export const VariantSchema = mapping({
  /** Shown in reports. Default `candidate` (one variant), else `variant-<n>`. */
  name: opt(str()),
  /** Provider name (a key of `providers`). Default: per case, a provider of its recorded API, else the first. */
  provider: opt(str()),
  /** Model to call. Default: the model production used. */
  model: opt(str()),
  /**
   * Replaces the captured system prompt. A template: `{{original_system}}`, `{{context}}`
   * (retrieved documents), `{{query}}` and the case's captured prompt variables are available.
   */
  systemPrompt: opt(str()),
  /** A file holding the system prompt, relative to the config file. */
  systemPromptFile: opt(str()),
  /** Replaces the last user message; same template variables as `systemPrompt` (plus `{{original_user}}`). */
  promptTemplate: opt(str()),
  /** Request parameters that override production's. */
  params: opt(ParamsSchema),
  /** Free-form options passed to module/http pipelines. */
  options: opt(jsonMap()),
});

/**
 * An evaluator entry: `type` names a built-in or a file of `evaluatorsDir`; every other option
 * is checked, unknown ones included, by that evaluator when the suite is resolved
 * (src/evaluators), with the same file, line and field in its errors.
 */
export const AssertionSchema = v.pipe(
  typedEntry(),
  v.transform((x) => x as AssertionConfig),
);

export const JudgeSchema = mapping({
  /** Provider of judge calls (a key of `providers`). Default: the first provider. */
  provider: opt(str()),
  /** Judge model. Default `gpt-4o-mini`. */
  model: withDefault(str(), DEFAULT_JUDGE_MODEL),
  /** Replay judge verdicts from the response cache. Default true; false (or `--no-judge-cache`): every judge call goes live and nothing is stored. */
  cache: withDefault(bool(), true),
  /** Sampling temperature of judge calls, 0..2. Default 0 (with a fixed seed); above 0 each repeat is a fresh sample. */
  temperature: withDefault(num({ min: 0, max: 2 }), 0),
});

export const RunSchema = mapping({
  /** Cases in flight at once. Default 8. */
  concurrency: withDefault(num({ min: 1, max: 1000, integer: true }), 8),
  /** Times each case is run (to tell flaky from regressed). Default 1. */
  repeat: withDefault(num({ min: 1, max: 100, integer: true }), 1),
  /** Per-request timeout, ms. Default 60000. */
  timeoutMs: withDefault(num({ min: 1 }), 60_000),
  /** Retries per model call after the first attempt. Default 4. */
  retries: withDefault(num({ min: 0, max: 20, integer: true }), 4),
  /** Stop scheduling new cases once the spend reaches this (USD, > 0). Default: no limit. */
  maxCostUsd: opt(v.pipe(num({ min: 0 }), v.gtValue(0, says('must be more than 0', 'a budget in dollars > 0 (or no maxCostUsd for no limit)')))),
  /** Response cache. Default true. */
  cache: withDefault(bool(), true),
  /** Cache directory. Default `.evals/cache`. */
  cacheDir: withDefault(str(), '.evals/cache'),
  /** Where run directories are written. Default `reports`. */
  outDir: withDefault(str(), 'reports'),
  /** Time one evaluator may take on one output before it is recorded as unscored, ms. Default 60000. */
  evaluatorTimeoutMs: withDefault(num({ min: 1 }), 60_000),
  /** Send the replay calls through the providers' batch APIs at half price (as `--batch`). Default false. */
  batch: opt(bool()),
  /** Seconds between polls of a submitted batch (as `--batch-poll`). Default 30. */
  batchPollSeconds: opt(num({ min: 0.01 })),
});

const FeedbackRuleSchema = mapping({
  /** A numeric feedback score below this flags the trace. Default 0.5. */
  below: opt(num()),
  /** Only feedback of these names counts. Default: every name. */
  names: opt(list(str())),
  /** `false`, `thumbs_down`, `negative`, `fail`, `incorrect` flag the trace. Default true. */
  falseIsFlag: opt(bool()),
});

const AttributeRuleSchema = mapping({
  /** Span or trace attribute key, e.g. `app.flagged`. */
  key: str(),
  /** The attribute equals this value. */
  equals: v.optional(v.pipe(v.unknown(), v.transform((x) => x as import('../traces/model.js').Json))),
  /** The attribute (as text) matches this regular expression. */
  matches: opt(regexString()),
});

export const FlagSchema = mapping({
  /** Negative feedback flags (default on: score < 0.5, or false / thumbs_down); `false` turns it off. */
  feedback: opt(v.union([v.literal(false), FeedbackRuleSchema], says('must be false or a mapping', 'false, or a mapping of below, names, falseIsFlag'))),
  /** Traces carrying any of these tags. Default none. */
  tags: opt(list(str())),
  /** Traces with an errored span. Default false (only what users flagged). */
  error: opt(bool()),
  /** Traces with an attribute that equals a value or matches a pattern. */
  attributes: opt(list(AttributeRuleSchema)),
});

export const SnapshotSchema = mapping({
  /** Rules for `--flagged`: a trace is selected when any rule matches. */
  flagged: withDefault(FlagSchema, {}),
  /** Extra redaction, on top of the built-in detectors. */
  redact: withDefault(
    mapping({
      /** Named regular expressions; each match is replaced by a placeholder. */
      patterns: withDefault(list(mapping({ name: str(), regex: regexString() })), []),
      /** Dotted paths of case fields to redact whole, e.g. `input.variables.customer_name`. */
      fields: withDefault(list(str()), []),
    }),
    {},
  ),
  /** Diagnosis thresholds. */
  diagnose: withDefault(
    mapping({
      /** `low_relevance_retrieval`. */
      retrieval: opt(mapping({
        /** Absolute bound: every retrieved document scored below it. Default none: outliers among the traces read. */
        minScore: opt(num()),
      })),
      /** `slow_step`. */
      slow: opt(mapping({
        /** A step slower than this, ms. */
        absoluteMs: opt(num({ min: 0 })),
        /** A step this many times slower than its median across the traces read. */
        factor: opt(num({ min: 0 })),
      })),
    }),
    {},
  ),
});

export const PriceSchema = mapping({
  /** USD per million input tokens. */
  input: num({ min: 0 }),
  /** USD per million output tokens. */
  output: num({ min: 0 }),
  /** USD per million cached input tokens. */
  cachedInput: opt(num({ min: 0 })),
});
