/**
 * A case is one frozen pipeline execution: what the pipeline received (`input`), the steps it
 * took (`context`), what production returned (`recorded`), what a person says it should return
 * (`expected`), why it is in the suite (`labels`) and where it came from (`provenance`).
 * Its id is a hash of its canonical, redacted content, so the same trace snapshotted twice
 * gives the same id.
 */
import { createHash } from 'node:crypto';
import type { Json, LlmParams, Message, Step, StepError, ToolCall, ToolDefinition, Usage } from '../traces/model.js';

export const CASE_SCHEMA = 'evals.case/v1';

/** One captured step of the production pipeline, in start order. */
export interface CaseStep {
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Milliseconds from the trace start. */
  offsetMs: number;
  durationMs: number;
  status: 'ok' | 'error';
  /** Typed view; absent for spans no convention recognised (kept for the timeline). */
  step?: Step;
}

/** What the pipeline entry received. For `replay` this is the captured model call. */
export interface CaseInput {
  /** The end user's request as text, when it could be found. */
  query?: string;
  /** Messages of the model call to replay (system prompt included). */
  messages: Message[];
  /** Model, parameters and tools of that call. */
  model?: string;
  provider?: string;
  /**
   * The provider API the call was recorded over (`openai-chat`, `openai-responses`,
   * `anthropic-messages`); replay routes the case to a configured provider of that API.
   */
  api?: string;
  params?: LlmParams;
  tools?: ToolDefinition[];
  /** Template variables when the prompt was rendered from a template. */
  variables?: Record<string, Json>;
  /** Span id of the model call chosen as the replay target. */
  llmSpanId?: string;
  /**
   * Set when the trace recorded no model call and the model, parameters, tools and system
   * prompt were borrowed from the call of this trace, which rendered the same prompt template.
   */
  callFrom?: string;
}

/** What production returned. */
export interface CaseRecorded {
  /** Final text output (the last model answer, or the root span output). */
  output: string | null;
  toolCalls?: ToolCall[];
  finishReason?: string;
  model?: string;
  usage?: Usage;
  latencyMs: number;
  status: 'ok' | 'error';
  error?: StepError;
  /**
   * Set when production's answer could not be recovered from the trace (why, in one sentence).
   * `output` is then null for lack of data, not because production answered nothing, so the
   * comparison treats the baseline as unknown and never counts the case as fixed.
   */
  outputMissing?: string;
}

/** Evaluator configuration as written in a suite config or on a case. */
export interface AssertionConfig {
  type: string;
  /** Other options are evaluator-specific. */
  [option: string]: Json | undefined;
}

/** Written by a person while curating. */
export interface CaseExpected {
  /** Reference output; `similarity` compares with this when present. */
  output?: string;
  /** Per-case assertions, same syntax as suite evaluators. */
  assertions?: AssertionConfig[];
}

export type DiagnosisLabel =
  | 'provider_error'
  | 'tool_error'
  | 'truncated'
  | 'parser_fallback'
  | 'empty_retrieval'
  | 'low_relevance_retrieval'
  | 'injection_suspect'
  | 'injection_followed'
  | 'slow_step';

/** One finding of the first diagnosis: which layer failed, in which span, and why. */
export interface Diagnosis {
  label: DiagnosisLabel;
  spanId: string;
  spanName: string;
  /** One sentence a person can read. */
  reason: string;
}

export interface CaseLabels {
  incident?: string;
  /** Why the trace was selected: `feedback:thumbs=0`, `tag:refund`, `status:error`, `trace-id`… */
  flaggedBecause: string[];
  tags: string[];
  diagnosis: Diagnosis[];
}

/** Counts by kind of what redaction replaced; never the values. */
export type RedactionCounts = Record<string, number>;

export interface CaseProvenance {
  /** Source format id (`otlp-json`, `langfuse-api`…). */
  source: string;
  /** File or URL the trace came from. */
  location?: string;
  traceId: string;
  /** ISO time the trace started in production. */
  tracedAt?: string;
  /** ISO time of the snapshot. */
  capturedAt: string;
  toolVersion: string;
  note?: string;
  redaction?: RedactionCounts;
  userId?: string;
  sessionId?: string;
}

export interface Case {
  schema: typeof CASE_SCHEMA;
  id: string;
  input: CaseInput;
  context: { steps: CaseStep[] };
  recorded: CaseRecorded;
  expected?: CaseExpected;
  labels: CaseLabels;
  provenance: CaseProvenance;
}

/**
 * JSON with object keys sorted, so equal content gives equal text. Case ids and response-cache
 * keys are hashes of it: the text must never change. Values already in canonical form (every
 * key in order, as the case files and most requests are) are serialized as they are, without
 * sorted copies (the copies were most of the cost of a cache key).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(inOrder(value) ? value : sortKeys(value));
}

/**
 * True when `JSON.stringify(value)` is already `JSON.stringify(sortKeys(value))`: plain objects
 * and arrays only (no `toJSON`, no other prototype, no `__proto__` key, which `sortKeys` turns
 * into a prototype), every object's keys in ascending order.
 */
function inOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.hasOwn(value, 'toJSON')) return false;
    for (const v of value) if (!inOrder(v)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(value, 'toJSON')) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__' || (i > 0 && !(keys[i - 1]! < key))) return false;
    if (!inOrder((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The content a case id is computed from: everything a run or a reviewer depends on. Capture
 * time, note, diagnosis and flag reasons are left out, so re-snapshotting the same trace adds
 * nothing; `expected`, tags and the incident id are in, so curating a case or tying it to an
 * incident gives it a new id (and a new file) in a new version.
 */
export function caseIdentity(c: Omit<Case, 'id'>): unknown {
  return {
    input: c.input,
    context: c.context,
    recorded: c.recorded,
    expected: c.expected,
    tags: c.labels.tags,
    incident: c.labels.incident,
    traceId: c.provenance.traceId,
    source: c.provenance.source,
  };
}

/** Stable id: `c_` + 16 hex chars of the SHA-256 of the canonical identity. */
export function computeCaseId(c: Omit<Case, 'id'>): string {
  return `c_${createHash('sha256').update(canonicalJson(caseIdentity(c))).digest('hex').slice(0, 16)}`;
}

/** Short printable name for a case (reports, progress). */
export function caseTitle(c: Case): string {
  const q = c.input.query ?? [...c.input.messages].reverse().find((m) => m.role === 'user')?.content ?? c.id;
  const one = q.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
