/**
 * Turns a `Trace` into a `Case`: which model call to replay, what production returned, every
 * step on a timeline relative to the trace start. Pure: redaction, diagnosis and ids are
 * applied by the caller (snapshot) so each can be tested alone.
 */
import type { LlmStep, Message, PromptStep, Span, Trace } from '../../traces/model.js';
import { stepsOf } from '../../traces/model.js';
import { sumUsage } from '../../traces/usage.js';
import type { Case, CaseInput, CaseLabels, CaseRecorded, CaseStep } from '../case.js';
import { CASE_SCHEMA } from '../case.js';
import { caseQuery } from './case-query.js';
import { relativeLocation } from './provenance-location.js';

export interface FromTraceOptions {
  capturedAt: string;
  toolVersion: string;
  incident?: string;
  note?: string;
  flaggedBecause?: string[];
  /** Absolute directory file locations are stored relative to (the repository root). Default: kept as read. */
  locationBase?: string;
  labels?: Partial<Pick<CaseLabels, 'diagnosis' | 'tags'>>;
}

/** Builds a case (without id) from a trace. */
export function caseFromTrace(trace: Trace, opts: FromTraceOptions): Omit<Case, 'id'> {
  const llms = stepsOf(trace, 'llm');
  const target = pickReplayTarget(llms);
  const final = llms.length > 0 ? llms[llms.length - 1] : undefined;
  const input = buildInput(trace, target);
  const chain = target ? llms.slice(llms.indexOf(target)) : [];
  const recorded = buildRecorded(trace, final, llms.map((s) => s.step), chain);
  const labels: CaseLabels = {
    flaggedBecause: opts.flaggedBecause ?? [],
    tags: [...new Set([...(trace.tags ?? []), ...(opts.labels?.tags ?? [])])].sort(),
    diagnosis: opts.labels?.diagnosis ?? [],
  };
  if (opts.incident !== undefined) labels.incident = opts.incident;
  return {
    schema: CASE_SCHEMA,
    input,
    context: { steps: trace.spans.map((s) => toCaseStep(s, trace.startTimeMs)) },
    recorded,
    labels,
    provenance: {
      source: trace.origin.format,
      ...(trace.origin.location !== undefined
        ? { location: opts.locationBase !== undefined ? relativeLocation(trace.origin.location, opts.locationBase) : trace.origin.location }
        : {}),
      traceId: trace.traceId,
      tracedAt: new Date(trace.startTimeMs).toISOString(),
      capturedAt: opts.capturedAt,
      toolVersion: opts.toolVersion,
      ...(opts.note !== undefined ? { note: opts.note } : {}),
      ...(trace.userId !== undefined ? { userId: trace.userId } : {}),
      ...(trace.sessionId !== undefined ? { sessionId: trace.sessionId } : {}),
    },
  };
}

type LlmSpan = Span & { step: LlmStep };

/**
 * The model call to replay is the first call of the last conversation chain: a tool loop
 * (call → tool → call with the tool result) is one chain, because each call's input starts
 * with the previous call's input. Replaying the chain's first call lets the candidate take
 * its own path through the tools; earlier chains (query rewriting, routing) stay captured.
 */
export function pickReplayTarget(llms: readonly LlmSpan[]): LlmSpan | undefined {
  let start = 0;
  let prev = llms[0]?.step.input ?? [];
  for (let i = 1; i < llms.length; i++) {
    const cur = llms[i]!.step.input;
    // A call recorded without its messages (content capture off) continues the current chain.
    if (cur.length === 0) continue;
    if (!extendsMessages(prev, cur)) start = i;
    prev = cur;
  }
  return llms[start];
}

function extendsMessages(prev: readonly Message[], cur: readonly Message[]): boolean {
  if (prev.length === 0 || cur.length <= prev.length) return false;
  return prev.every((m, i) => m.role === cur[i]!.role && (m.content ?? '') === (cur[i]!.content ?? ''));
}

function buildInput(trace: Trace, target: LlmSpan | undefined): CaseInput {
  const step = target?.step;
  const prompt = stepsOf(trace, 'prompt')[0]?.step;
  const messages = step?.input ?? promptMessages(prompt);
  const query = caseQuery(trace, messages, step?.prompt?.variables);
  const input: CaseInput = { messages };
  if (query !== undefined) input.query = query;
  if (step?.model !== undefined) input.model = step.model;
  if (step?.provider !== undefined) input.provider = step.provider;
  if (step?.api !== undefined) input.api = step.api;
  if (step && Object.keys(step.params).length > 0) input.params = step.params;
  if (step?.tools && step.tools.length > 0) input.tools = step.tools;
  const variables = prompt?.variables ?? step?.prompt?.variables;
  if (variables) input.variables = variables;
  if (target) input.llmSpanId = target.spanId;
  return input;
}

/**
 * When the model call itself was not captured (instrumentations often drop a call that
 * failed), the prompt step may still hold what was about to be sent: its rendered messages, or
 * its template and variables. Without a system prompt or model, replaying it needs a variant
 * that sets them.
 */
function promptMessages(prompt: PromptStep | undefined): Message[] {
  if (!prompt) return [];
  if (prompt.rendered && prompt.rendered.length > 0) return prompt.rendered;
  if (prompt.template === undefined) return [];
  const vars = prompt.variables ?? {};
  const text = prompt.template.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (m, name: string) => {
    const v = vars[name];
    return v === undefined ? m : typeof v === 'string' ? v : JSON.stringify(v);
  });
  return [{ role: 'user', content: text }];
}

/**
 * What production returned: the final answer, and every tool call the replayed chain made
 * (an unrequested call in the middle of a tool loop is what an injection looks like).
 */
function buildRecorded(trace: Trace, final: LlmSpan | undefined, llms: LlmStep[], chain: readonly LlmSpan[]): CaseRecorded {
  const answer = final?.step.output.find((m) => m.role === 'assistant') ?? final?.step.output[0];
  const firstError = trace.spans.find((s) => s.status.code === 'error' || stepError(s) !== undefined);
  const toolCalls = chain.flatMap((s) => s.step.output.flatMap((m) => m.toolCalls ?? []));
  const fallback = answer?.content ? undefined : appAnswer(trace);
  const recorded: CaseRecorded = {
    output: answer?.content ?? fallback ?? null,
    latencyMs: round(trace.endTimeMs - trace.startTimeMs),
    status: trace.status,
  };
  if (toolCalls.length > 0) recorded.toolCalls = toolCalls;
  if (final?.step.finishReason !== undefined) recorded.finishReason = final.step.finishReason;
  const model = final?.step.responseModel ?? final?.step.model;
  if (model !== undefined) recorded.model = model;
  const usage = sumUsage(llms.map((s) => s.usage));
  if (usage) recorded.usage = usage;
  if (firstError) {
    recorded.error = stepError(firstError) ?? {
      message: firstError.status.message ?? `span "${firstError.name}" ended with status error`,
    };
  }
  const missing = recorded.output === null && toolCalls.length === 0 && recorded.error === undefined ? missingReason(final) : undefined;
  if (missing !== undefined) recorded.outputMissing = missing;
  return recorded;
}

/**
 * The model's answer as the application recorded it, when the model call span holds none:
 * what the parse step received (the raw model text), else the pipeline's own output.
 */
function appAnswer(trace: Trace): string | undefined {
  // The parse step's input is the model's raw text (read as JSON when it was JSON).
  const parsed = stepsOf(trace, 'parse').find((s) => s.step.input !== undefined && s.step.input !== null && s.step.input !== '')?.step.input;
  if (parsed !== undefined && parsed !== null) return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  const root = trace.spans.find((s) => s.step?.type === 'chain');
  const out = root?.step?.type === 'chain' ? root.step.output : undefined;
  return typeof out === 'string' && out.trim() !== '' ? out : undefined;
}

function missingReason(final: LlmSpan | undefined): string {
  if (!final) return 'the trace holds no model call, so production\'s answer is unknown';
  if (final.step.contentMissing) return `the model call "${final.name}" was recorded without message content (content capture off)`;
  return `the model call "${final.name}" recorded no answer text`;
}

function stepError(s: Span): { type?: string; message: string } | undefined {
  const step = s.step;
  if (!step) return undefined;
  return 'error' in step ? step.error : undefined;
}

function toCaseStep(s: Span, traceStart: number): CaseStep {
  const cs: CaseStep = {
    spanId: s.spanId,
    name: s.name,
    offsetMs: round(s.startTimeMs - traceStart),
    durationMs: round(s.endTimeMs - s.startTimeMs),
    status: s.status.code === 'error' || stepError(s) !== undefined ? 'error' : 'ok',
  };
  if (s.parentSpanId !== undefined) cs.parentSpanId = s.parentSpanId;
  if (s.step) cs.step = s.step;
  return cs;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
