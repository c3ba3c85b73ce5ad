/**
 * Maps Langfuse's `TraceWithFullDetails` (public API, UI export) to a `RawTrace`. The trace
 * itself becomes a root span (id = trace id) carrying trace input/output, so every source has a
 * single-rooted tree; top-level observations hang under it. Pure.
 */
import { toToolDefinitions } from '../conventions/messages.js';
import type { Attributes, Feedback, Json, LlmParams, SpanStatusCode, Step, StepError, TraceOrigin, Usage } from '../model.js';
import { isJsonObj, outputMessages, textOf, toMessages } from './messages.js';
import type { RawTrace, SourceSpan } from './source.js';

type JsonObj = { [key: string]: Json };

/** Epoch ms of an ISO time, or undefined. */
function ms(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: Json | undefined): number | undefined {
  // Langfuse stores model parameters as strings ("0.2", "Infinity"); only finite numbers count.
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const PARAM_KEYS: Record<string, keyof Omit<LlmParams, 'extra' | 'stop' | 'stream'>> = {
  temperature: 'temperature', max_tokens: 'maxTokens', maxTokens: 'maxTokens', max_completion_tokens: 'maxTokens',
  top_p: 'topP', topP: 'topP', top_k: 'topK', topK: 'topK', frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty', seed: 'seed',
};

/** Model parameters (`{temperature:"0.2", max_tokens:256…}`, values often strings) → LlmParams. */
export function toLlmParams(p: Json | undefined): LlmParams {
  const params: LlmParams = {};
  if (!isJsonObj(p)) return params;
  for (const [k, v] of Object.entries(p)) {
    const key = PARAM_KEYS[k];
    const n = num(v);
    if (key && n !== undefined) params[key] = n;
    else if (k === 'stop' && Array.isArray(v)) params.stop = v.filter((x): x is string => typeof x === 'string');
    else if (k === 'stream' && typeof v === 'boolean') params.stream = v;
    else (params.extra ??= {})[k] = v;
  }
  return params;
}

/** Langfuse `usageDetails` (`input`, `output`, `total`, `input_cached_tokens`…) or legacy `usage`. */
export function toUsage(details: Json | undefined, legacy: Json | undefined): Usage | undefined {
  const d = isJsonObj(details) && Object.keys(details).length > 0 ? details : isJsonObj(legacy) ? legacy : undefined;
  if (!d) return undefined;
  const u: Usage = {};
  const set = (key: keyof Usage, ...names: string[]): void => {
    for (const n of names) {
      const v = num(d[n]);
      if (v !== undefined) {
        u[key] = v;
        return;
      }
    }
  };
  set('inputTokens', 'input', 'promptTokens', 'input_tokens');
  set('outputTokens', 'output', 'completionTokens', 'output_tokens');
  set('totalTokens', 'total', 'totalTokens', 'total_tokens');
  set('cachedInputTokens', 'input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read');
  set('cacheCreationInputTokens', 'cache_creation_input_tokens', 'input_cache_creation');
  set('reasoningTokens', 'output_reasoning_tokens', 'reasoning_tokens');
  return Object.keys(u).length > 0 ? u : undefined;
}

/** Retrieved documents from a retriever output: an array, or `{documents:[…]}`. */
export function toDocuments(output: Json | undefined): Array<{ id?: string; content?: string; score?: number; metadata?: Record<string, Json> }> {
  const list = Array.isArray(output) ? output : isJsonObj(output) && Array.isArray(output.documents) ? output.documents : [];
  return list.map((d) => {
    if (!isJsonObj(d)) return { content: typeof d === 'string' ? d : JSON.stringify(d) };
    const meta = isJsonObj(d.metadata) ? d.metadata : undefined;
    const doc: { id?: string; content?: string; score?: number; metadata?: Record<string, Json> } = {};
    const id = str(d.id) ?? str(meta?.id);
    const content = textOf(d.page_content ?? d.pageContent ?? d.content ?? d.text);
    const score = num(d.score ?? meta?.score ?? null);
    if (id) doc.id = id;
    if (content !== null) doc.content = content;
    if (score !== undefined) doc.score = score;
    if (meta) doc.metadata = meta;
    return doc;
  });
}

function stepOf(o: JsonObj, error: StepError | undefined): Step {
  const type = String(o.type ?? 'SPAN').toUpperCase();
  const withError = <T extends Step>(s: T): T => (error ? { ...s, error } : s);
  if (type === 'GENERATION') {
    const usage = toUsage(o.usageDetails, o.usage);
    const model = str(o.model);
    // `{messages, tools}` inputs also say which tools were offered.
    const tools = isJsonObj(o.input) ? toToolDefinitions(o.input.tools) : [];
    return withError({
      type: 'llm', params: toLlmParams(o.modelParameters), input: toMessages(o.input), output: outputMessages(o.output),
      ...(model ? { model } : {}), ...(usage ? { usage } : {}), ...(tools.length > 0 ? { tools } : {}),
    });
  }
  if (type === 'RETRIEVER') {
    const query = typeof o.input === 'string' ? o.input : isJsonObj(o.input) ? str(o.input.query) : undefined;
    return withError({ type: 'retrieval', documents: toDocuments(o.output), ...(query ? { query } : {}) });
  }
  if (type === 'TOOL') return withError({ type: 'tool', name: str(o.name) ?? 'tool', arguments: o.input ?? null, result: o.output ?? null });
  if (type === 'EMBEDDING') {
    const model = str(o.model);
    return withError({ type: 'embedding', ...(model ? { model } : {}) });
  }
  return withError({ type: 'chain', kind: type.toLowerCase(), input: o.input ?? null, output: o.output ?? null });
}

function observationSpan(o: JsonObj, trace: JsonObj, fallbackStart: number): SourceSpan {
  const level = str(o.level) ?? 'DEFAULT';
  const statusMessage = str(o.statusMessage);
  const isError = level === 'ERROR';
  const start = ms(o.startTime) ?? fallbackStart;
  const attributes: Attributes = { 'langfuse.observation.type': str(o.type) ?? 'SPAN', 'langfuse.observation.level': level };
  if (statusMessage) attributes['langfuse.observation.status_message'] = statusMessage;
  if (o.input !== undefined) attributes['langfuse.observation.input'] = o.input;
  if (o.output !== undefined) attributes['langfuse.observation.output'] = o.output;
  if (isJsonObj(o.metadata)) attributes['langfuse.observation.metadata'] = o.metadata;
  if (str(o.promptName)) attributes['langfuse.observation.prompt.name'] = o.promptName ?? null;
  if (o.promptVersion !== undefined && o.promptVersion !== null) attributes['langfuse.observation.prompt.version'] = o.promptVersion;
  const status: { code: SpanStatusCode; message?: string } = isError ? { code: 'error', message: statusMessage ?? 'level ERROR' } : { code: 'unset' };
  return {
    traceId: String(trace.id),
    spanId: String(o.id),
    parentSpanId: str(o.parentObservationId) ?? String(trace.id),
    name: str(o.name) ?? String(o.type ?? 'observation').toLowerCase(),
    startTimeMs: start,
    endTimeMs: ms(o.endTime) ?? start,
    status,
    attributes,
    events: [],
    logs: [],
    resource: {},
    step: stepOf(o, isError ? { message: statusMessage ?? 'level ERROR' } : undefined),
    conventions: ['langfuse'],
  };
}

/** Langfuse score → Feedback (BOOLEAN → 1/0 plus the boolean value; CATEGORICAL → value). */
export function toFeedback(s: JsonObj): Feedback {
  const fb: Feedback = { name: str(s.name) ?? 'score' };
  const dataType = str(s.dataType) ?? 'NUMERIC';
  const value = num(s.value);
  if (dataType === 'CATEGORICAL') fb.value = str(s.stringValue) ?? String(s.value);
  else if (dataType === 'BOOLEAN') {
    fb.value = value === 1;
    fb.score = value === 1 ? 1 : 0;
  } else if (value !== undefined) fb.score = value;
  if (str(s.comment)) fb.comment = String(s.comment);
  if (str(s.source)) fb.source = String(s.source).toLowerCase();
  if (str(s.observationId)) fb.spanId = String(s.observationId);
  return fb;
}

/**
 * Converts one `TraceWithFullDetails` (or the export's `{trace, observations, scores?}`) into a
 * RawTrace. Throws a plain Error naming the missing field when there is no trace id.
 */
export function langfuseToRawTrace(input: JsonObj, origin: TraceOrigin): RawTrace {
  const trace = isJsonObj(input.trace) ? input.trace : input;
  if (!str(trace.id)) throw new Error('trace.id is missing');
  const observations = (Array.isArray(input.observations) ? input.observations : Array.isArray(trace.observations) ? trace.observations : []).filter(isJsonObj);
  const scores = (Array.isArray(input.scores) ? input.scores : Array.isArray(trace.scores) ? trace.scores : []).filter(isJsonObj);
  const traceStart = ms(trace.timestamp) ?? Math.min(...observations.map((o) => ms(o.startTime) ?? Infinity));
  const spans = observations.map((o) => observationSpan(o, trace, traceStart));
  const end = Math.max(traceStart, ...spans.map((s) => s.endTimeMs));
  const name = str(trace.name);
  const root: SourceSpan = {
    traceId: String(trace.id), spanId: String(trace.id), name: name ?? 'trace', startTimeMs: traceStart, endTimeMs: end,
    status: { code: spans.some((s) => s.status.code === 'error') ? 'error' : 'unset' },
    attributes: { 'langfuse.trace.input': trace.input ?? null, 'langfuse.trace.output': trace.output ?? null },
    events: [], logs: [], resource: {},
    step: { type: 'chain', kind: 'trace', input: trace.input ?? null, output: trace.output ?? null },
    conventions: ['langfuse'],
  };
  const metadata: Record<string, Json> = isJsonObj(trace.metadata) ? { ...trace.metadata } : {};
  for (const k of ['release', 'version', 'environment'] as const) if (str(trace[k])) metadata[k] = trace[k] ?? null;
  const raw: RawTrace = {
    traceId: String(trace.id), origin, spans: [root, ...spans].sort((a, b) => a.startTimeMs - b.startTimeMs),
    tags: Array.isArray(trace.tags) ? trace.tags.filter((t): t is string => typeof t === 'string') : [],
    feedback: scores.map(toFeedback), metadata,
  };
  if (name) raw.name = name;
  if (str(trace.userId)) raw.userId = String(trace.userId);
  if (str(trace.sessionId)) raw.sessionId = String(trace.sessionId);
  return raw;
}
