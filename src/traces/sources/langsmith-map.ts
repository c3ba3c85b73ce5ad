/**
 * Maps LangSmith runs (as `client.listRuns` returns them or `/runs/query` sends them) and their
 * feedback to a `RawTrace`. Runs know their type, so each span gets a typed `step`. Pure.
 */
import type { Attributes, Feedback, Json, LlmStep, Message, Step, StepError, TraceOrigin, Usage } from '../model.js';
import { toDocuments, toLlmParams } from './langfuse-map.js';
import { isJsonObj, outputMessages, textOf, toMessages } from './messages.js';
import { fallbackFlagIn, looksLikeParseName } from '../conventions/parse-signals.js';
import type { RawTrace, SourceSpan } from './source.js';

type JsonObj = { [key: string]: Json };

/** LangSmith times: ISO with or without zone (naive means UTC), microseconds allowed, or epoch ms. */
export function langsmithTimeMs(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(v);
  if (!m) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  const base = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return Number.isNaN(base) ? undefined : base + frac;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: Json | undefined): JsonObj {
  return isJsonObj(v) ? v : {};
}

/** LangChain/LangSmith `usage_metadata` → Usage. */
export function toLangsmithUsage(u: Json | undefined): Usage | undefined {
  if (!isJsonObj(u)) return undefined;
  const usage: Usage = {};
  if (typeof u.input_tokens === 'number') usage.inputTokens = u.input_tokens;
  if (typeof u.output_tokens === 'number') usage.outputTokens = u.output_tokens;
  if (typeof u.total_tokens === 'number') usage.totalTokens = u.total_tokens;
  const inDetails = obj(u.input_token_details);
  if (typeof inDetails.cache_read === 'number') usage.cachedInputTokens = inDetails.cache_read;
  if (typeof inDetails.cache_creation === 'number') usage.cacheCreationInputTokens = inDetails.cache_creation;
  const outDetails = obj(u.output_token_details);
  if (typeof outDetails.reasoning === 'number') usage.reasoningTokens = outDetails.reasoning;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function finishReasonOf(out: JsonObj): string | undefined {
  const choice = Array.isArray(out.choices) && isJsonObj(out.choices[0]) ? out.choices[0] : undefined;
  if (choice && str(choice.finish_reason)) return String(choice.finish_reason);
  if (str(out.stop_reason)) return String(out.stop_reason);
  const gens = Array.isArray(out.generations) ? (out.generations as Json[]).flatMap((g) => (Array.isArray(g) ? g : [g])) : [];
  const info = isJsonObj(gens[0]) ? obj(gens[0].generation_info) : {};
  return str(info.finish_reason);
}

/** LangChain chat models keep usage on the generated AIMessage (`kwargs.usage_metadata`). */
function generationUsage(out: JsonObj): Json | undefined {
  const gens = Array.isArray(out.generations) ? (out.generations as Json[]).flatMap((g) => (Array.isArray(g) ? g : [g])) : [];
  const msg = isJsonObj(gens[0]) ? obj(gens[0].message) : {};
  return obj(msg.kwargs).usage_metadata ?? msg.usage_metadata;
}

/** Anthropic `system` / Responses `instructions` sit beside the messages: put them first, once. */
function withSystem(system: Json | undefined, messages: Message[]): Message[] {
  const text = textOf(system ?? null);
  if (text === null || text === '' || messages.some((m) => m.role === 'system' && m.content === text)) return messages;
  return [{ role: 'system', content: text }, ...messages];
}

function llmStep(run: JsonObj, meta: JsonObj): LlmStep {
  const inputs = obj(run.inputs);
  const outputs = obj(run.outputs);
  const invocation = obj(meta.ls_invocation_params ?? obj(run.extra).invocation_params);
  const params = toLlmParams({ ...invocation, ...(meta.ls_temperature !== undefined ? { temperature: meta.ls_temperature } : {}), ...(meta.ls_max_tokens !== undefined ? { max_tokens: meta.ls_max_tokens } : {}) });
  if (params.extra) for (const k of ['model', 'model_name', 'messages', 'tools', '_type']) delete params.extra[k];
  const step: LlmStep = {
    type: 'llm',
    params,
    input: withSystem(inputs.system ?? inputs.instructions, toMessages(inputs.messages ?? inputs.prompts ?? inputs.prompt ?? inputs.input)),
    output: outputMessages(run.outputs ?? null),
  };
  // An OpenAI Responses API run: `input`/`instructions` in, a `response` object (`output[]`) out.
  if (outputs.object === 'response' || (inputs.messages === undefined && Array.isArray(outputs.output))) step.api = 'openai-responses';
  const model = str(meta.ls_model_name) ?? str(inputs.model) ?? str(invocation.model) ?? str(invocation.model_name);
  if (model) step.model = model;
  if (str(meta.ls_provider)) step.provider = String(meta.ls_provider).toLowerCase();
  const usage = toLangsmithUsage(outputs.usage_metadata ?? meta.usage_metadata ?? generationUsage(outputs));
  if (usage) step.usage = usage;
  else if (typeof run.prompt_tokens === 'number' || typeof run.completion_tokens === 'number') {
    step.usage = {
      ...(typeof run.prompt_tokens === 'number' ? { inputTokens: run.prompt_tokens } : {}),
      ...(typeof run.completion_tokens === 'number' ? { outputTokens: run.completion_tokens } : {}),
      ...(typeof run.total_tokens === 'number' ? { totalTokens: run.total_tokens } : {}),
    };
  }
  const finish = finishReasonOf(outputs);
  if (finish) step.finishReason = finish;
  const tools = Array.isArray(inputs.tools) ? inputs.tools.filter(isJsonObj) : [];
  if (tools.length > 0) {
    step.tools = tools.map((t) => {
      const fn = isJsonObj(t.function) ? t.function : t;
      return { name: String(fn.name ?? 'tool'), ...(str(fn.description) ? { description: String(fn.description) } : {}), ...(fn.parameters !== undefined ? { parameters: fn.parameters } : {}) };
    });
  }
  return step;
}

/** Unwraps `{input: x}` / `{output: x}` / `{outputs: x}` wrappers LangSmith puts around non-objects. */
function unwrap(v: Json | undefined, key: string): Json {
  if (isJsonObj(v) && Object.keys(v).length === 1 && key in v) return v[key] ?? null;
  return v ?? null;
}

function stepOf(run: JsonObj, meta: JsonObj, error: StepError | undefined): Step {
  const type = str(run.run_type) ?? 'chain';
  const withError = <T extends Step>(s: T): T => (error ? { ...s, error } : s);
  const inputs = obj(run.inputs);
  switch (type) {
    case 'llm':
      return withError(llmStep(run, meta));
    case 'retriever': {
      const q = inputs.query ?? inputs.input ?? inputs.question;
      return withError({ type: 'retrieval', documents: toDocuments(run.outputs ?? null), ...(typeof q === 'string' ? { query: q } : {}) });
    }
    case 'tool': {
      const callId = str(meta.tool_call_id) ?? str(inputs.tool_call_id);
      return withError({ type: 'tool', name: str(run.name) ?? 'tool', arguments: unwrap(run.inputs, 'input'), result: unwrap(unwrap(run.outputs, 'output'), 'outputs'), ...(callId ? { callId } : {}) });
    }
    case 'parser': {
      const output = unwrap(unwrap(run.outputs, 'output'), 'outputs');
      return withError({ type: 'parse', input: unwrap(run.inputs, 'input'), output, fallback: fallbackFlagIn(output, true) ?? false });
    }
    case 'prompt': {
      const out = obj(run.outputs);
      const rendered = toMessages(out.messages ?? obj(out.output).messages ?? null);
      return { type: 'prompt', variables: inputs, ...(rendered.length > 0 ? { rendered } : {}) };
    }
    case 'embedding':
      return withError({ type: 'embedding', ...(str(meta.ls_model_name) ? { model: String(meta.ls_model_name) } : {}) });
    default: {
      // A chain run that is the app's parser and says it fell back (parse-signals.ts).
      const output = unwrap(unwrap(run.outputs, 'output'), 'outputs');
      const named = looksLikeParseName(str(run.name) ?? '');
      const fallback = named || str(run.parent_run_id) !== undefined ? fallbackFlagIn(output, named) : undefined;
      if (fallback !== undefined) return withError({ type: 'parse', input: unwrap(run.inputs, 'input'), output, fallback });
      return withError({ type: 'chain', kind: type, input: run.inputs ?? null, output: run.outputs ?? null });
    }
  }
}

/** One run → a span with its typed step. Throws a plain Error naming a missing required field. */
export function runToSpan(run: JsonObj): SourceSpan {
  const id = str(run.id);
  const traceId = str(run.trace_id) ?? id;
  if (!id || !traceId) throw new Error('run id is missing');
  const start = langsmithTimeMs(run.start_time);
  if (start === undefined) throw new Error('start_time is missing or not a time');
  const extra = obj(run.extra);
  const meta = obj(extra.metadata);
  const error = str(run.error);
  const attributes: Attributes = { 'langsmith.run_type': str(run.run_type) ?? 'chain', 'langsmith.metadata': meta };
  if (str(run.dotted_order)) attributes['langsmith.dotted_order'] = String(run.dotted_order);
  if (Array.isArray(run.tags)) attributes['langsmith.tags'] = run.tags;
  const span: SourceSpan = {
    traceId: traceId.toLowerCase(), spanId: id.toLowerCase(), name: str(run.name) ?? str(run.run_type) ?? 'run',
    startTimeMs: start, endTimeMs: langsmithTimeMs(run.end_time) ?? start,
    status: error ? { code: 'error', message: error } : { code: str(run.status) === 'success' || run.end_time ? 'ok' : 'unset' },
    attributes, events: [], logs: [], resource: {},
    step: stepOf(run, meta, error ? { message: error } : undefined), conventions: ['langsmith'],
  };
  if (str(run.parent_run_id)) span.parentSpanId = String(run.parent_run_id).toLowerCase();
  return span;
}

/** LangSmith feedback → Feedback (boolean scores become 1/0 and keep the boolean as value). */
export function toLangsmithFeedback(f: JsonObj): Feedback {
  const fb: Feedback = { name: str(f.key) ?? 'feedback' };
  if (typeof f.score === 'number') fb.score = f.score;
  else if (typeof f.score === 'boolean') {
    fb.score = f.score ? 1 : 0;
    fb.value = f.score;
  }
  if (typeof f.value === 'string' || typeof f.value === 'boolean') fb.value = f.value;
  if (str(f.comment)) fb.comment = String(f.comment);
  const src = obj(f.feedback_source);
  if (str(src.type)) fb.source = String(src.type);
  if (str(f.run_id)) fb.spanId = String(f.run_id).toLowerCase();
  return fb;
}

const SESSION_KEYS = ['session_id', 'thread_id', 'conversation_id'];

/** All runs (and feedback) of one trace → RawTrace; trace facts come from the root run. */
export function runsToRawTrace(traceId: string, runs: JsonObj[], feedback: JsonObj[], origin: TraceOrigin): RawTrace {
  const spans = runs.map(runToSpan).sort((a, b) => a.startTimeMs - b.startTimeMs || String(a.attributes['langsmith.dotted_order'] ?? '').localeCompare(String(b.attributes['langsmith.dotted_order'] ?? '')));
  const rootRun = runs.find((r) => !str(r.parent_run_id)) ?? runs[0] ?? {};
  const meta = obj(obj(rootRun.extra).metadata);
  const metadata: Record<string, Json> = Object.fromEntries(Object.entries(meta).filter(([k]) => !k.startsWith('ls_') && k !== 'usage_metadata'));
  const raw: RawTrace = {
    traceId: traceId.toLowerCase(), origin, spans,
    tags: Array.isArray(rootRun.tags) ? rootRun.tags.filter((t): t is string => typeof t === 'string') : [],
    feedback: feedback.map(toLangsmithFeedback), metadata,
  };
  if (str(rootRun.name)) raw.name = String(rootRun.name);
  if (str(meta.user_id)) raw.userId = String(meta.user_id);
  const session = SESSION_KEYS.map((k) => str(meta[k])).find(Boolean);
  if (session) raw.sessionId = session;
  return raw;
}
