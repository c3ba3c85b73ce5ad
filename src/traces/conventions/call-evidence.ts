/**
 * Is this span an actual model call, or an application span that merely carries messages?
 *
 * Applications write `gen_ai.input.messages` (or OpenInference `llm.input_messages.*`) on their
 * own prompt-rendering, parsing, chain and task spans; those must not be taken for the model
 * call, or the case gets no model, no answer and no tools. A model call is recognised by what
 * only a provider exchange leaves behind: a model operation name, span kind CLIENT, a requested
 * or response model, a response id, token usage, a finish reason, or an explicit LLM span kind
 * (OpenInference `LLM`, Langfuse `generation`, OpenLLMetry `llm.request.type`).
 */
import type { RawSpan } from '../model.js';
import { str } from './attrs.js';

/** `gen_ai.operation.name` values that are a model call. */
export const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'completion', 'generate_content', 'responses']);

const EVIDENCE_KEYS = [
  'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.response.id', 'gen_ai.response.finish_reasons',
  'gen_ai.response.finish_reason', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens', 'gen_ai.usage.completion_tokens', 'llm.model_name', 'llm.token_count.prompt',
  'llm.token_count.completion', 'llm.finish_reason', 'llm.request.type', 'llm.request.model',
  'langfuse.observation.model.name', 'anthropic.message.stop_reason',
] as const;

/** True when the span shows evidence of a provider call (see module doc). */
export function hasCallEvidence(span: RawSpan): boolean {
  const a = span.attributes;
  const op = str(a, 'gen_ai.operation.name');
  if (op !== undefined && LLM_OPERATIONS.has(op)) return true;
  if (span.kind === 'client') return true;
  if (str(a, 'openinference.span.kind')?.toUpperCase() === 'LLM') return true;
  if (str(a, 'langfuse.observation.type')?.toLowerCase() === 'generation') return true;
  return EVIDENCE_KEYS.some((k) => a[k] !== undefined);
}
