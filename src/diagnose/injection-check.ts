/**
 * The `injection_followed` detector applied to a case and an output at run time (the built-in
 * `injection-followed` evaluator), with exactly the rules snapshot's diagnosis uses: the case's
 * captured steps stand in for the trace (retrieved documents and tool results are the fetched
 * content; user messages, the prompt step and the root input are the user's request), and the
 * output being scored is the one model action checked, after all of them.
 */
import type { Case, Diagnosis } from '../datasets/case.js';
import type { Span, ToolCall, Trace } from '../traces/model.js';
import { cutFetched, followedFindings, userRequest, type ModelAction } from './diagnose-followed.js';
import { fetchedContent, scanFetched, type InjectionSuspect } from './diagnose-injection.js';
import type { InjectionPattern } from './diagnose-patterns.js';

/** What an output did with the instruction-like text in a case's context. */
export interface InjectionCheck {
  /** Suspect pieces of the case's fetched content. */
  suspects: InjectionSuspect[];
  /** One finding per way the output carried an instruction out; empty when it did not. */
  followed: Diagnosis[];
}

/** The output being checked: its text and tool calls. */
export interface CheckedOutput {
  output: string | null;
  toolCalls?: ToolCall[];
}

/** Span id the findings of `checkInjectionFollowed` name. */
export const CHECKED_OUTPUT_SPAN = 'output';

/** A trace made of the case's captured steps, so the trace rules read them unchanged. */
export function traceOfCase(c: Case): Trace {
  const spans: Span[] = c.context.steps.map((s) => ({
    traceId: c.provenance.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId !== undefined ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    startTimeMs: s.offsetMs,
    endTimeMs: s.offsetMs + s.durationMs,
    status: { code: s.status },
    attributes: {},
    events: [],
    logs: [],
    resource: {},
    conventions: [],
    ...(s.step !== undefined ? { step: s.step } : {}),
  }));
  const end = Math.max(0, ...spans.map((s) => s.endTimeMs));
  return { traceId: c.provenance.traceId, origin: { format: 'case' }, spans, startTimeMs: 0, endTimeMs: end, status: c.recorded.status, tags: [], feedback: [], metadata: {} };
}

/**
 * Checks `out` against the instruction-like text in the case's retrieved context. `threshold`
 * and `patterns` are those of `diagnose`'s `injection` options.
 */
export function checkInjectionFollowed(c: Case, out: CheckedOutput, threshold = 1, patterns?: readonly InjectionPattern[]): InjectionCheck {
  const trace = traceOfCase(c);
  const fetched = fetchedContent(trace);
  // Tool results pasted into the replayed call's messages, when no step captured them.
  const known = new Set(fetched.map((f) => f.text.trim()));
  const anchor = trace.spans[0];
  for (const m of c.input.messages) {
    if (m.role !== 'tool' || m.content === null || m.content.trim() === '' || known.has(m.content.trim()) || anchor === undefined) continue;
    known.add(m.content.trim());
    fetched.push({ span: anchor, where: `the tool result${m.name !== undefined ? ` of "${m.name}"` : ''} sent to the model`, text: m.content });
  }
  const suspects = scanFetched(fetched, threshold, patterns);
  const span: Span = {
    traceId: trace.traceId, spanId: CHECKED_OUTPUT_SPAN, name: 'output', startTimeMs: Number.POSITIVE_INFINITY, endTimeMs: Number.POSITIVE_INFINITY,
    status: { code: 'ok' }, attributes: {}, events: [], logs: [], resource: {}, conventions: [],
  };
  const action: ModelAction = { span, answer: out.output ?? '', toolCalls: out.toolCalls ?? [], input: c.input.messages };
  const query = cutFetched(c.input.query ?? '', fetched.map((f) => f.text));
  const user = `${userRequest(trace)}\n${query.toLowerCase()}`;
  // What production fetched after the replayed call is its own future, not the candidate's context.
  const target = trace.spans.find((s) => s.spanId === c.input.llmSpanId);
  const suspectTexts = new Set(suspects.map((s) => s.text));
  const clean = fetched.filter((f) => !suspectTexts.has(f.text) && (target === undefined || f.span.startTimeMs <= target.startTimeMs));
  return { suspects, followed: followedFindings({ suspects, actions: [action], user, clean }) };
}
