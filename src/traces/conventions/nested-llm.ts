/**
 * One model call, two LLM spans: an instrumentation (OpenInference, OpenLLMetry…) wraps the SDK
 * method, and the Anthropic SDK's own tracing opens `anthropic.messages.create` inside it
 * (seen in the openinference-anthropic and traceloop-anthropic fixtures). Counting both would
 * double every LLM step, so the inner step is folded into its parent: the parent's fields win
 * and the child fills the gaps (response id, provider stop reason, cache tokens, content when
 * the wrapper had none). The child span stays in the trace, without a step.
 */
import type { LlmStep, Span } from '../model.js';
import { mergeMissing, type Loose } from './merge.js';

/** Merges two LLM steps of the same call; `contentMissing` holds only if neither had content. */
export function mergeLlmSteps(parent: LlmStep, child: LlmStep): LlmStep {
  const merged = mergeMissing(parent as unknown as Loose, child as unknown as Loose) as unknown as LlmStep;
  if (merged.input.length > 0 || merged.output.length > 0) delete merged.contentMissing;
  return merged;
}

/**
 * Folds every LLM step whose direct parent span also has an LLM step into that parent. Returns
 * new span objects for the spans it changes; the input array is not modified.
 */
export function foldNestedLlmSteps(spans: Span[]): Span[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const folded = new Map<string, Span>();
  for (const s of spans) {
    if (s.step?.type !== 'llm' || s.parentSpanId === undefined) continue;
    const parent = folded.get(s.parentSpanId) ?? byId.get(s.parentSpanId);
    if (parent?.step?.type !== 'llm') continue;
    const conventions = [...parent.conventions, ...s.conventions.filter((c) => !parent.conventions.includes(c))];
    folded.set(parent.spanId, { ...parent, step: mergeLlmSteps(parent.step, s.step), conventions });
    const { step: _step, ...rest } = s;
    folded.set(s.spanId, { ...rest, conventions: [] });
  }
  return folded.size === 0 ? spans : spans.map((s) => folded.get(s.spanId) ?? s);
}
