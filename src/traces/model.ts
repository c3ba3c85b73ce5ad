/**
 * The trace model: every source (OTLP files, Langfuse, LangSmith, Tempo…) lands in this shape.
 * A `Trace` is a tree of `Span`s; each span keeps its raw attributes and, when a convention
 * recognises it, a typed `step` view of what the step was (retrieval, llm, tool, parse, prompt…).
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A decoded attribute value: OTLP AnyValue turned into plain JSON (kvlist → object, array → array). */
export type AttrValue = Json;

/** Flat attribute map, keys as the instrumentation wrote them (e.g. `gen_ai.request.model`). */
export type Attributes = Record<string, AttrValue>;

export interface SpanEvent {
  name: string;
  /** Unix epoch milliseconds (fractional). */
  timeMs: number;
  attributes: Attributes;
}

/**
 * A log record joined to a span by trace and span id (OTel GenAI 1.28–1.36 per-message events,
 * `gen_ai.client.inference.operation.details`, `gen_ai.evaluation.result`…).
 */
export interface SpanLog {
  /** `eventName` of the record, or its `event.name` attribute. */
  name: string;
  timeMs: number;
  attributes: Attributes;
  /** Decoded body (often `{content, tool_calls}` or `{index, finish_reason, message}`). */
  body: AttrValue;
}

export type SpanStatusCode = 'unset' | 'ok' | 'error';

/** A span as read from the source, before (or without) a typed view. */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTel kind, lower-case: internal, server, client, producer, consumer. */
  kind?: string;
  startTimeMs: number;
  endTimeMs: number;
  status: { code: SpanStatusCode; message?: string };
  attributes: Attributes;
  events: SpanEvent[];
  /** Log records joined to this span (empty when the source has none). */
  logs: SpanLog[];
  resource: Attributes;
  scope?: { name: string; version?: string };
}

// ---------------------------------------------------------------------------------------------
// Typed step views
// ---------------------------------------------------------------------------------------------

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  /** Provider call id (joins a tool message's `toolCallId` and a tool step's `callId`). */
  id?: string;
  name: string;
  /** Parsed JSON arguments when they parse, else the raw string. */
  arguments: Json;
}

export interface Message {
  role: Role;
  /** Text content; multi-part text joined with newlines. Null when the message has only tool calls. */
  content: string | null;
  toolCalls?: ToolCall[];
  /** For `role: 'tool'`: the call this message answers. */
  toolCallId?: string;
  /** Optional participant or tool name. */
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Json;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cachedInputTokens?: number;
  cacheCreationInputTokens?: number;
  reasoningTokens?: number;
}

/** Request parameters of a model call. Unknown extras go in `extra`. */
export interface LlmParams {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stop?: string[];
  seed?: number;
  stream?: boolean;
  extra?: Record<string, Json>;
}

export interface StepError {
  type?: string;
  message: string;
}

export interface LlmStep {
  type: 'llm';
  /** e.g. `openai`, `anthropic`, `aws.bedrock` (lower-cased). */
  provider?: string;
  /** Requested model. */
  model?: string;
  /** Model the provider says answered. */
  responseModel?: string;
  /** `chat`, `text_completion`, `generate_content`… */
  operation?: string;
  params: LlmParams;
  tools?: ToolDefinition[];
  /** Messages sent, system instructions first when they were separate. */
  input: Message[];
  /** Messages received (normally one assistant message). */
  output: Message[];
  finishReason?: string;
  usage?: Usage;
  responseId?: string;
  error?: StepError;
  /** True when the source recorded no message content (capture switched off). */
  contentMissing?: boolean;
  /**
   * Span id of the application span the messages were taken from, when the call's own span
   * carried none (conventions/attach-prompt.ts).
   */
  contentFrom?: string;
  /**
   * The provider API the call went over, when the trace says (`openai-chat`, `openai-responses`,
   * `anthropic-messages`); replay routes the case to a configured provider of that API.
   */
  api?: string;
  /**
   * The prompt template the input was rendered from, when the span links one (OpenInference
   * `llm.prompt_template.*`, Traceloop `traceloop.prompt.*`, Langfuse `…prompt.name/version`).
   */
  prompt?: { templateId?: string; version?: string; template?: string; variables?: Record<string, Json> };
}

export interface RetrievedDocument {
  id?: string;
  content?: string;
  score?: number;
  metadata?: Record<string, Json>;
}

export interface RetrievalStep {
  type: 'retrieval';
  query?: string;
  /** Index, collection or data source id. */
  store?: string;
  topK?: number;
  documents: RetrievedDocument[];
  error?: StepError;
}

export interface ToolStep {
  type: 'tool';
  name: string;
  callId?: string;
  arguments?: Json;
  result?: Json;
  error?: StepError;
}

export interface ParseStep {
  type: 'parse';
  /** What the parser received. */
  input?: Json;
  /** What it returned. */
  output?: Json;
  /** True when the parser gave up and used a fallback value. */
  fallback: boolean;
  error?: StepError;
}

export interface PromptStep {
  type: 'prompt';
  templateId?: string;
  version?: string;
  template?: string;
  variables?: Record<string, Json>;
  /** Rendered messages, when the prompt step records them. */
  rendered?: Message[];
  /** Tools offered with the rendered messages, when the application recorded them. */
  tools?: ToolDefinition[];
  /** The answer, when the application recorded it next to the prompt (e.g. `gen_ai.output.messages`). */
  answer?: Message[];
}

export interface EmbeddingStep {
  type: 'embedding';
  model?: string;
  inputCount?: number;
  usage?: Usage;
  error?: StepError;
}

/** A span that groups others: workflow, chain, agent, task, HTTP handler… */
export interface ChainStep {
  type: 'chain';
  /** `workflow`, `agent`, `task`, `chain`, `server`… as the convention said. */
  kind?: string;
  input?: Json;
  output?: Json;
  error?: StepError;
}

export type Step = LlmStep | RetrievalStep | ToolStep | ParseStep | PromptStep | EmbeddingStep | ChainStep;
export type StepType = Step['type'];

/** A span with its typed view. `step` is absent when no convention recognised the span. */
export interface Span extends RawSpan {
  step?: Step;
  /** Which conventions contributed to `step` (e.g. `gen_ai`, `openllmetry`, `openinference`, `langfuse`). */
  conventions: string[];
}

/** User feedback or an evaluation attached to a trace (or one of its spans). */
export interface Feedback {
  /** e.g. `user_feedback`, `thumbs`, `helpfulness`. */
  name: string;
  /** Numeric score when there is one (booleans map to 1/0). */
  score?: number;
  /** Categorical or boolean value as recorded. */
  value?: string | boolean;
  comment?: string;
  /** Who gave it: `user`, `annotation`, `eval`, `api`… */
  source?: string;
  spanId?: string;
}

/** Where a trace came from. */
export interface TraceOrigin {
  /** Source format id, e.g. `otlp-json`, `langfuse-api`, `langsmith-runs`. */
  format: string;
  /** File path or URL it was read from. */
  location?: string;
}

export interface Trace {
  traceId: string;
  /** Root span name or trace name. */
  name?: string;
  origin: TraceOrigin;
  /** All spans, sorted by start time then span id. */
  spans: Span[];
  startTimeMs: number;
  endTimeMs: number;
  /** `error` when any span errored (status or convention-level error), else `ok`. */
  status: 'ok' | 'error';
  userId?: string;
  sessionId?: string;
  tags: string[];
  feedback: Feedback[];
  /** Trace-level metadata (association properties, langfuse trace metadata…). */
  metadata: Record<string, Json>;
}

/** Children of a span, in start order. */
export function childrenOf(trace: Trace, spanId: string): Span[] {
  return trace.spans.filter((s) => s.parentSpanId === spanId);
}

/** Spans whose parent is not in the trace (normally one). */
export function rootsOf(trace: Trace): Span[] {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  return trace.spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId));
}

/** Spans with a typed view of the given type, in start order. */
export function stepsOf<T extends StepType>(trace: Trace, type: T): Array<Span & { step: Extract<Step, { type: T }> }> {
  return trace.spans.filter((s): s is Span & { step: Extract<Step, { type: T }> } => s.step?.type === type);
}
