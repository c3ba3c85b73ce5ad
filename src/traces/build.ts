/**
 * `buildTrace`: turns a source's `RawTrace` into a `Trace` — applies the attribute conventions
 * to every span (conventions/registry.ts), folds an SDK's LLM span into the instrumentation's LLM
 * span that wraps it (conventions/nested-llm.ts), gives a content-less model call the messages
 * an application span rendered for it (conventions/attach-prompt.ts), sorts spans by start time then span id, and gathers
 * trace-level facts (name, time span, status, user/session, tags, feedback, metadata).
 * Pure: no I/O, never throws on odd attributes (unknown shapes just give no step).
 */
import type { RawSpan, Span, Step, Trace } from './model.js';
import { providerApiOf } from './conventions/provider-api.js';
import { attachRenderedPrompts } from './conventions/attach-prompt.js';
import { feedbackOf } from './conventions/feedback.js';
import { foldNestedLlmSteps } from './conventions/nested-llm.js';
import { viewSpan } from './conventions/registry.js';
import { spanError } from './conventions/span-error.js';
import { traceFactsOf } from './conventions/trace-facts.js';
import type { RawTrace, SourceSpan } from './sources/source.js';

/**
 * A span with its step. A step the source already set is kept as is (its `conventions`, or
 * `['source']`); otherwise the conventions decide. A span whose step or attributes say it
 * failed gets status `error` even when the instrumentation left the OTel status UNSET
 * (Langfuse level ERROR, `error.type` without a status).
 */
export function buildSpan(source: SourceSpan): Span {
  const { step: given, conventions: givenConventions, ...raw } = source;
  const view = given !== undefined ? { step: withProviderApi(raw, given), conventions: givenConventions ?? ['source'] } : viewSpan(raw);
  const error = (view.step && 'error' in view.step ? view.step.error : undefined) ?? spanError(raw);
  const status = error !== undefined && raw.status.code !== 'error' ? { code: 'error' as const, message: error.message } : raw.status;
  return { ...raw, status, ...(view.step !== undefined ? { step: view.step } : {}), conventions: view.conventions };
}

/** A source-built LLM step gets the provider and API the conventions would have found. */
function withProviderApi(raw: RawSpan, step: Step): Step {
  if (step.type !== 'llm' || step.api !== undefined) return step;
  const { provider, api } = providerApiOf(raw, step);
  return { ...step, ...(provider !== undefined ? { provider } : {}), ...(api !== undefined ? { api } : {}) };
}

function byStart(a: Span, b: Span): number {
  return a.startTimeMs - b.startTimeMs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/**
 * Builds the `Trace` for one `RawTrace`. Facts the source knew directly (`raw.name`, `userId`,
 * `sessionId`) win over facts found on span attributes; tags are the union (source first),
 * feedback is concatenated (source first), metadata merges key by key with the source winning.
 */
export function buildTrace(raw: RawTrace): Trace {
  const spans = attachRenderedPrompts(foldNestedLlmSteps(raw.spans.map(buildSpan)).sort(byStart));
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => s.parentSpanId === undefined || s.parentSpanId === '' || !ids.has(s.parentSpanId));
  const root = roots[0];
  const rootFirst = root ? [root, ...spans.filter((s) => s !== root)] : spans;
  const facts = traceFactsOf(rootFirst);
  const tags = [...(raw.tags ?? [])];
  for (const t of facts.tags) if (!tags.includes(t)) tags.push(t);
  const failed = spans.some((s) => s.status.code === 'error' || (s.step !== undefined && 'error' in s.step && s.step.error !== undefined));
  const name = raw.name ?? facts.name ?? root?.name;
  const userId = raw.userId ?? facts.userId;
  const sessionId = raw.sessionId ?? facts.sessionId;
  return {
    traceId: raw.traceId,
    ...(name !== undefined ? { name } : {}),
    origin: raw.origin,
    spans,
    // reduce, not Math.min(...spread): a trace can hold more spans than the call stack allows arguments.
    startTimeMs: spans.reduce((m, s) => Math.min(m, s.startTimeMs), spans[0]?.startTimeMs ?? 0),
    endTimeMs: spans.reduce((m, s) => Math.max(m, s.endTimeMs), spans[0]?.endTimeMs ?? 0),
    status: failed ? 'error' : 'ok',
    ...(userId !== undefined ? { userId } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
    tags,
    feedback: [...(raw.feedback ?? []), ...feedbackOf(spans, root)],
    metadata: { ...facts.metadata, ...(raw.metadata ?? {}) },
  };
}
