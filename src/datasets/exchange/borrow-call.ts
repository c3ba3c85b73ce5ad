/**
 * A trace whose model call was never recorded (OpenLLMetry and OpenInference drop a call that
 * failed) still has its prompt step: the messages the app was about to send, but no model,
 * parameters, tools or system prompt, so replay would skip it. Another trace captured in the same
 * snapshot that rendered the same prompt template did record its call: the case borrows that
 * call's model, provider, API, parameters, tools and system prompt, and says from which trace
 * (`input.callFrom`). Pure: the snapshot command applies it to the cases it is about to write.
 */
import type { Case } from '../case.js';

type Draft = Omit<Case, 'id'>;

/** The prompt template a case's steps were rendered from (id, else the template text). */
function templateKey(c: Draft): string | undefined {
  for (const s of c.context.steps) {
    if (s.step?.type === 'prompt' && (s.step.templateId ?? s.step.template) !== undefined) return s.step.templateId ?? s.step.template;
  }
  return undefined;
}

/** The cases, with call settings borrowed where a case has messages but no recorded model call. */
export function borrowMissingCalls(cases: readonly Draft[]): Draft[] {
  return cases.map((c) => {
    if (c.input.model !== undefined || c.input.messages.length === 0) return c;
    const key = templateKey(c);
    if (key === undefined) return c;
    const donor = cases.find((d) => d !== c && d.input.model !== undefined && d.input.llmSpanId !== undefined && templateKey(d) === key);
    if (!donor) return c;
    const d = donor.input;
    const system = d.messages.find((m) => m.role === 'system');
    const messages = system && !c.input.messages.some((m) => m.role === 'system') ? [system, ...c.input.messages] : c.input.messages;
    return {
      ...c,
      input: {
        ...c.input,
        messages,
        model: d.model as string,
        ...(d.provider !== undefined ? { provider: d.provider } : {}),
        ...(d.api !== undefined ? { api: d.api } : {}),
        ...(d.params !== undefined ? { params: d.params } : {}),
        ...(d.tools !== undefined ? { tools: d.tools } : {}),
        callFrom: donor.provenance.traceId,
      },
    };
  });
}
