/**
 * A model call whose span carries no content (the Anthropic SDK's own spans by default, OTel
 * contrib without content capture) next to an application span that recorded the messages it
 * rendered (`gen_ai.input.messages` on a prompt-rendering span, read as a prompt step by
 * gen-ai.ts): the call takes the messages, the tools offered and, when the application recorded
 * it there, the answer from that span. The call stays the call (provider, model, usage, finish
 * reason); the prompt span only fills what the call span lacks.
 */
import type { LlmStep, PromptStep, Span } from '../model.js';

type LlmSpan = Span & { step: LlmStep };
type PromptSpan = Span & { step: PromptStep };

function isAncestor(spans: Map<string, Span>, ancestorId: string, span: Span): boolean {
  let cur = span.parentSpanId;
  for (let depth = 0; cur !== undefined && depth < 64; depth++) {
    if (cur === ancestorId) return true;
    cur = spans.get(cur)?.parentSpanId;
  }
  return false;
}

/** The prompt span recorded for `llm`: an ancestor, else the latest one that started before it. */
function promptFor(llm: LlmSpan, prompts: PromptSpan[], byId: Map<string, Span>, used: Set<string>): PromptSpan | undefined {
  const open = prompts.filter((p) => !used.has(p.spanId));
  const ancestor = open.filter((p) => isAncestor(byId, p.spanId, llm)).pop();
  if (ancestor) return ancestor;
  return open.filter((p) => p.startTimeMs <= llm.startTimeMs && !isAncestor(byId, llm.spanId, p)).pop();
}

/**
 * Returns `spans` (start order) with content-less LLM steps filled from their prompt span.
 * New span objects for the spans it changes; the input array is not modified.
 */
export function attachRenderedPrompts(spans: Span[]): Span[] {
  const prompts = spans.filter((s): s is PromptSpan => s.step?.type === 'prompt' && (s.step.rendered?.length ?? 0) > 0);
  if (prompts.length === 0) return spans;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const used = new Set<string>();
  const changed = new Map<string, Span>();
  for (const s of spans) {
    if (s.step?.type !== 'llm' || s.step.input.length > 0) continue;
    const llm = s as LlmSpan;
    const prompt = promptFor(llm, prompts, byId, used);
    if (!prompt) continue;
    used.add(prompt.spanId);
    const p = prompt.step;
    const step: LlmStep = { ...llm.step, input: p.rendered ?? [] };
    if ((step.tools?.length ?? 0) === 0 && p.tools && p.tools.length > 0) step.tools = p.tools;
    if (step.output.length === 0 && p.answer && p.answer.length > 0) step.output = p.answer;
    delete step.contentMissing;
    step.contentFrom = prompt.spanId;
    changed.set(llm.spanId, { ...llm, step });
  }
  return changed.size === 0 ? spans : spans.map((s) => changed.get(s.spanId) ?? s);
}
