/**
 * Checks a parsed config value field by field and fills defaults. Errors name the file, line
 * and field (see fields.ts). Evaluator options are checked by the evaluator registry, which
 * receives the same `Fields` so its errors point at the same file and line.
 */
import type { AssertionConfig } from '../datasets/case.js';
import type { LlmParams } from '../traces/model.js';
import type { Fields } from './fields.js';
import type { EvalsConfig, FlagConfig, PipelineConfig, ProviderConfigEntry, VariantConfig } from './schema.js';
import { DEFAULT_GATE, DEFAULT_RUN } from './schema.js';
import { DEFAULT_JUDGE_MODEL, type JudgeSettings } from '../evaluators/judge-settings.js';

const TOP = ['datasets', 'datasetsDir', 'providers', 'pipeline', 'variants', 'baseline', 'evaluators', 'evaluatorsDir', 'judge', 'run', 'gate', 'snapshot', 'pricing'] as const;

export function validateConfig(raw: unknown, f: Fields): EvalsConfig {
  const o = f.object(raw ?? {}, []);
  f.knownKeys(o, [], TOP);
  const datasets = (f.optArray(o.datasets, ['datasets']) ?? []).map((d, i) => f.string(d, ['datasets', i]));
  return {
    datasets,
    datasetsDir: f.optString(o.datasetsDir, ['datasetsDir']) ?? 'datasets',
    providers: readProviders(o.providers, f),
    pipeline: readPipeline(o.pipeline, f),
    variants: readVariants(o.variants, f),
    ...(o.baseline !== undefined ? { baseline: f.string(o.baseline, ['baseline']) } : {}),
    evaluators: (f.optArray(o.evaluators, ['evaluators']) ?? []).map((e, i) => readAssertion(e, f, ['evaluators', i])),
    evaluatorsDir: f.optString(o.evaluatorsDir, ['evaluatorsDir']) ?? 'evaluators',
    judge: readJudge(o.judge, f),
    run: readRun(o.run, f),
    gate: readGate(o.gate, f),
    snapshot: readSnapshot(o.snapshot, f),
    pricing: readPricing(o.pricing, f),
  };
}

/** An evaluator entry: a mapping with a `type`; the rest is checked by that evaluator. */
export function readAssertion(v: unknown, f: Fields, path: Array<string | number>): AssertionConfig {
  const o = f.object(v, path);
  f.string(o.type, [...path, 'type']);
  return o as AssertionConfig;
}

/** `judge: { provider, model, cache }`; the provider name is checked against `providers` by the run plan. */
function readJudge(v: unknown, f: Fields): JudgeSettings {
  const o = f.optObject(v, ['judge']) ?? {};
  f.knownKeys(o, ['judge'], ['provider', 'model', 'cache', 'temperature']);
  const provider = f.optString(o.provider, ['judge', 'provider']);
  return {
    ...(provider !== undefined ? { provider } : {}),
    model: f.optString(o.model, ['judge', 'model']) ?? DEFAULT_JUDGE_MODEL,
    cache: f.optBoolean(o.cache, ['judge', 'cache']) ?? true,
    temperature: f.optNumber(o.temperature, ['judge', 'temperature'], { min: 0, max: 2 }) ?? 0,
  };
}

function readProviders(v: unknown, f: Fields): Record<string, ProviderConfigEntry> {
  const o = f.optObject(v, ['providers']) ?? {};
  const out: Record<string, ProviderConfigEntry> = {};
  for (const [name, entry] of Object.entries(o)) {
    const p = ['providers', name];
    const e = f.optObject(entry, p) ?? {};
    f.knownKeys(e, p, ['type', 'baseUrl', 'apiKey', 'apiKeyEnv', 'timeoutMs', 'headers']);
    const headers = f.optObject(e.headers, [...p, 'headers']);
    const pe: ProviderConfigEntry = { type: e.type === undefined ? 'openai' : f.oneOf(e.type, [...p, 'type'], ['openai', 'openai-responses', 'anthropic']) };
    const baseUrl = f.optString(e.baseUrl, [...p, 'baseUrl']);
    if (baseUrl !== undefined) {
      if (!/^https?:\/\//.test(baseUrl)) f.fail([...p, 'baseUrl'], 'must be an http(s) URL', 'http://… or https://…', baseUrl);
      pe.baseUrl = baseUrl;
    }
    const apiKey = f.optString(e.apiKey, [...p, 'apiKey']);
    if (apiKey !== undefined) pe.apiKey = apiKey;
    const apiKeyEnv = f.optString(e.apiKeyEnv, [...p, 'apiKeyEnv']);
    if (apiKeyEnv !== undefined) pe.apiKeyEnv = apiKeyEnv;
    const timeoutMs = f.optNumber(e.timeoutMs, [...p, 'timeoutMs'], { min: 1 });
    if (timeoutMs !== undefined) pe.timeoutMs = timeoutMs;
    if (headers) pe.headers = Object.fromEntries(Object.entries(headers).map(([k, hv]) => [k, f.string(hv, [...p, 'headers', k])]));
    out[name] = pe;
  }
  return out;
}

function readPipeline(v: unknown, f: Fields): PipelineConfig {
  const o = f.optObject(v, ['pipeline']) ?? {};
  const p = ['pipeline'];
  f.knownKeys(o, p, ['type', 'path', 'export', 'url', 'headers', 'outputPath', 'maxToolRounds']);
  const type = o.type === undefined ? 'replay' : f.oneOf(o.type, [...p, 'type'], ['replay', 'module', 'http']);
  const out: PipelineConfig = { type };
  if (type === 'module') out.path = f.string(o.path, [...p, 'path']);
  if (type === 'http') out.url = f.string(o.url, [...p, 'url']);
  const exp = f.optString(o.export, [...p, 'export']);
  if (exp !== undefined) out.export = exp;
  const outputPath = f.optString(o.outputPath, [...p, 'outputPath']);
  if (outputPath !== undefined) out.outputPath = outputPath;
  const headers = f.optObject(o.headers, [...p, 'headers']);
  if (headers) out.headers = Object.fromEntries(Object.entries(headers).map(([k, hv]) => [k, f.string(hv, [...p, 'headers', k])]));
  const rounds = f.optNumber(o.maxToolRounds, [...p, 'maxToolRounds'], { min: 1, integer: true });
  if (rounds !== undefined) out.maxToolRounds = rounds;
  return out;
}

function readVariants(v: unknown, f: Fields): VariantConfig[] {
  const list = f.optArray(v, ['variants']) ?? [{}];
  const names = new Set<string>();
  return list.map((item, i) => {
    const p = ['variants', i];
    const o = f.object(item, p);
    f.knownKeys(o, p, ['name', 'provider', 'model', 'systemPrompt', 'systemPromptFile', 'promptTemplate', 'params', 'options']);
    const name = f.optString(o.name, [...p, 'name']) ?? (list.length === 1 ? 'candidate' : `variant-${i + 1}`);
    if (names.has(name)) f.fail([...p, 'name'], `duplicate variant name "${name}"`, 'a name no other variant uses', name);
    names.add(name);
    const out: VariantConfig = { name };
    for (const key of ['provider', 'model', 'systemPrompt', 'systemPromptFile', 'promptTemplate'] as const) {
      const s = f.optString(o[key], [...p, key]);
      if (s !== undefined) out[key] = s;
    }
    const params = f.optObject(o.params, [...p, 'params']);
    if (params) out.params = readParams(params, f, [...p, 'params']);
    const options = f.optObject(o.options, [...p, 'options']);
    if (options) out.options = options as VariantConfig['options'];
    return out;
  });
}

function readParams(o: Record<string, unknown>, f: Fields, p: Array<string | number>): LlmParams {
  f.knownKeys(o, p, ['temperature', 'maxTokens', 'topP', 'topK', 'frequencyPenalty', 'presencePenalty', 'stop', 'seed', 'extra']);
  const out: LlmParams = {};
  const num = (k: 'temperature' | 'topP' | 'frequencyPenalty' | 'presencePenalty', max: number, min = 0): void => {
    const n = f.optNumber(o[k], [...p, k], { min, max });
    if (n !== undefined) out[k] = n;
  };
  num('temperature', 2);
  num('topP', 1);
  num('frequencyPenalty', 2, -2);
  num('presencePenalty', 2, -2);
  for (const k of ['maxTokens', 'topK', 'seed'] as const) {
    const n = f.optNumber(o[k], [...p, k], { min: k === 'seed' ? -(2 ** 53) : 1, integer: true });
    if (n !== undefined) out[k] = n;
  }
  const stop = f.optArray(o.stop, [...p, 'stop']);
  if (stop) out.stop = stop.map((s, i) => f.string(s, [...p, 'stop', i]));
  const extra = f.optObject(o.extra, [...p, 'extra']);
  if (extra) out.extra = extra as LlmParams['extra'];
  return out;
}

function readRun(v: unknown, f: Fields): EvalsConfig['run'] {
  const o = f.optObject(v, ['run']) ?? {};
  const p = ['run'];
  f.knownKeys(o, p, Object.keys(DEFAULT_RUN).concat('maxCostUsd'));
  const run = { ...DEFAULT_RUN };
  run.concurrency = f.optNumber(o.concurrency, [...p, 'concurrency'], { min: 1, max: 1000, integer: true }) ?? run.concurrency;
  run.repeat = f.optNumber(o.repeat, [...p, 'repeat'], { min: 1, max: 100, integer: true }) ?? run.repeat;
  run.timeoutMs = f.optNumber(o.timeoutMs, [...p, 'timeoutMs'], { min: 1 }) ?? run.timeoutMs;
  run.evaluatorTimeoutMs = f.optNumber(o.evaluatorTimeoutMs, [...p, 'evaluatorTimeoutMs'], { min: 1 }) ?? run.evaluatorTimeoutMs;
  run.retries = f.optNumber(o.retries, [...p, 'retries'], { min: 0, max: 20, integer: true }) ?? run.retries;
  run.cache = f.optBoolean(o.cache, [...p, 'cache']) ?? run.cache;
  run.cacheDir = f.optString(o.cacheDir, [...p, 'cacheDir']) ?? run.cacheDir;
  run.outDir = f.optString(o.outDir, [...p, 'outDir']) ?? run.outDir;
  const maxCost = f.optNumber(o.maxCostUsd, [...p, 'maxCostUsd'], { min: 0 });
  // A zero budget would run nothing and report nothing evaluated: leave the field out for no limit.
  if (maxCost === 0) f.fail([...p, 'maxCostUsd'], 'must be more than 0', 'a budget in dollars > 0 (or no maxCostUsd for no limit)', 0);
  return maxCost === undefined ? run : { ...run, maxCostUsd: maxCost };
}

function readGate(v: unknown, f: Fields): EvalsConfig['gate'] {
  const o = f.optObject(v, ['gate']) ?? {};
  const p = ['gate'];
  // 0.1 names, still read: incidentsMustNotRegress (now incidentsMustHold), failOnErrors (maxErrorRate 0).
  f.knownKeys(o, p, [...Object.keys(DEFAULT_GATE), 'incidentsMustNotRegress', 'failOnErrors']);
  const d = DEFAULT_GATE;
  const num = (k: string, opts: { min?: number; max?: number; integer?: boolean }): number | undefined => f.optNumber(o[k], [...p, k], opts);
  const bool = (k: string): boolean | undefined => f.optBoolean(o[k], [...p, k]);
  const c = f.optObject(o.confirm, [...p, 'confirm']) ?? {};
  f.knownKeys(c, [...p, 'confirm'], Object.keys(d.confirm));
  const legacyErrors = bool('failOnErrors');
  return {
    alpha: num('alpha', { min: 0.0001, max: 0.5 }) ?? d.alpha,
    incidentsMustHold: bool('incidentsMustHold') ?? bool('incidentsMustNotRegress') ?? d.incidentsMustHold,
    incidentMinPassRate: num('incidentMinPassRate', { min: 0, max: 1 }) ?? d.incidentMinPassRate,
    maxRegressions: num('maxRegressions', { min: 0, integer: true }) ?? d.maxRegressions,
    maxMetricDrop: num('maxMetricDrop', { min: 0, max: 1 }) ?? d.maxMetricDrop,
    minCases: num('minCases', { min: 1, integer: true }) ?? d.minCases,
    maxErrorRate: num('maxErrorRate', { min: 0, max: 1 }) ?? (legacyErrors ? 0 : d.maxErrorRate),
    failOnUnscored: bool('failOnUnscored') ?? d.failOnUnscored,
    failOnMissing: bool('failOnMissing') ?? d.failOnMissing,
    allowInconclusive: bool('allowInconclusive') ?? d.allowInconclusive,
    confirm: {
      enabled: f.optBoolean(c.enabled, [...p, 'confirm', 'enabled']) ?? d.confirm.enabled,
      maxRuns: f.optNumber(c.maxRuns, [...p, 'confirm', 'maxRuns'], { min: 1, max: 100, integer: true }) ?? d.confirm.maxRuns,
      slack: f.optNumber(c.slack, [...p, 'confirm', 'slack'], { min: 0, max: 10, integer: true }) ?? d.confirm.slack,
    },
  };
}

function readSnapshot(v: unknown, f: Fields): EvalsConfig['snapshot'] {
  const o = f.optObject(v, ['snapshot']) ?? {};
  const p = ['snapshot'];
  f.knownKeys(o, p, ['flagged', 'redact', 'diagnose']);
  const redact = f.optObject(o.redact, [...p, 'redact']) ?? {};
  f.knownKeys(redact, [...p, 'redact'], ['patterns', 'fields']);
  const patterns = (f.optArray(redact.patterns, [...p, 'redact', 'patterns']) ?? []).map((item, i) => {
    const pp = [...p, 'redact', 'patterns', i];
    const po = f.object(item, pp);
    const regex = f.string(po.regex, [...pp, 'regex']);
    try {
      new RegExp(regex);
    } catch (err) {
      f.fail([...pp, 'regex'], `is not a valid regular expression (${(err as Error).message})`, 'a JavaScript regular expression', regex);
    }
    return { name: f.string(po.name, [...pp, 'name']), regex };
  });
  const fields = (f.optArray(redact.fields, [...p, 'redact', 'fields']) ?? []).map((x, i) => f.string(x, [...p, 'redact', 'fields', i]));
  const flagged = (f.optObject(o.flagged, [...p, 'flagged']) ?? {}) as FlagConfig;
  f.knownKeys(flagged as Record<string, unknown>, [...p, 'flagged'], ['feedback', 'tags', 'error', 'attributes']);
  for (const [i, rule] of (flagged.attributes ?? []).entries()) {
    const at = [...p, 'flagged', 'attributes', i];
    f.string(f.object(rule, at).key, [...at, 'key']);
    if (rule.matches !== undefined) {
      try {
        new RegExp(f.string(rule.matches, [...at, 'matches']));
      } catch (err) {
        f.fail([...at, 'matches'], `is not a valid regular expression (${(err as Error).message})`, 'a JavaScript regular expression', rule.matches);
      }
    }
  }
  const diagnose = (f.optObject(o.diagnose, [...p, 'diagnose']) ?? {}) as EvalsConfig['snapshot']['diagnose'];
  return { flagged, redact: { patterns, fields }, diagnose };
}

function readPricing(v: unknown, f: Fields): EvalsConfig['pricing'] {
  const o = f.optObject(v, ['pricing']) ?? {};
  const out: EvalsConfig['pricing'] = {};
  for (const [model, entry] of Object.entries(o)) {
    const p = ['pricing', model];
    const e = f.object(entry, p);
    const price: EvalsConfig['pricing'][string] = {
      input: f.number(e.input, [...p, 'input'], { min: 0 }),
      output: f.number(e.output, [...p, 'output'], { min: 0 }),
    };
    const cached = f.optNumber(e.cachedInput, [...p, 'cachedInput'], { min: 0 });
    if (cached !== undefined) price.cachedInput = cached;
    out[model] = price;
  }
  return out;
}
