/**
 * The Anthropic TypeScript SDK's own spans (scope `com.anthropic.sdk.typescript`). They follow
 * OTel GenAI ≥1.37 (read by gen-ai.ts) with these differences, checked against the SDK's
 * `lib/internal/tracing/*`:
 *  - no `gen_ai.response.finish_reasons`: the stop reason is `anthropic.message.stop_reason`
 *    (`end_turn`, `max_tokens`, `tool_use`…), kept as recorded;
 *  - cache writes are `gen_ai.usage.cache_write.input_tokens` (read by gen-ai.ts), and
 *    `gen_ai.usage.input_tokens` already includes cache reads and writes;
 *  - tool runner spans (`anthropic.custom_tool_use {name}`, op `execute_tool`) put the result in
 *    `anthropic.tool_result.content` (JSON list of content blocks), not `gen_ai.tool.call.result`.
 */
import type { Json, RawSpan } from '../model.js';
import { isObject, json, str } from './attrs.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { defineConvention, type StepPatch } from './types.js';

/** Tool result blocks: all-text results become one string, anything else stays as recorded. */
function toolResult(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const texts = value.map((b) => (isObject(b) && b['type'] === 'text' && typeof b['text'] === 'string' ? b['text'] : undefined));
  return texts.every((t) => t !== undefined) && texts.length > 0 ? texts.join('\n') : value;
}

function view(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const stop = str(a, 'anthropic.message.stop_reason');
  if (stop !== undefined) return { type: 'llm', finishReason: normalizeFinishReason(stop) };
  const result = json(a, 'anthropic.tool_result.content');
  if (result !== undefined) return { type: 'tool', result: toolResult(result) };
  return undefined;
}

/** The Anthropic SDK convention. */
export const anthropicConvention = defineConvention({
  id: 'anthropic',
  detect: (span) =>
    span.scope?.name === 'com.anthropic.sdk.typescript' ||
    span.attributes['anthropic.message.stop_reason'] !== undefined ||
    span.attributes['anthropic.tool_result.content'] !== undefined,
  view,
});
