/**
 * Finish reasons, stored in the provider's own words so production and replayed calls compare
 * equal whichever instrumentation recorded them. Values are lower-cased (Bedrock/Gemini write
 * `STOP`, `MAX_TOKENS`). OTel GenAI ≥1.37 and OpenLLMetry ≥0.25 re-spell every provider's reason
 * into the OTel set (`stop`, `length`, `tool_call`, `content_filter`, `error`); those are mapped
 * back per provider:
 *
 * | OTel value  | anthropic    | every other provider (OpenAI words) |
 * |-------------|--------------|-------------------------------------|
 * | `stop`      | `end_turn`   | `stop`                              |
 * | `length`    | `max_tokens` | `length`                            |
 * | `tool_call` | `tool_use`   | `tool_calls`                        |
 * | `tool_calls`| `tool_use`   | `tool_calls`                        |
 *
 * A value already in the provider's words (`end_turn`, `tool_use`, `stop_sequence`…) is kept.
 * `isTruncation` recognises both `length` and `max_tokens`.
 */
import { lookup } from './attrs.js';

const TO_ANTHROPIC: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_call: 'tool_use',
  tool_calls: 'tool_use',
};

const TO_OPENAI: Record<string, string> = {
  tool_call: 'tool_calls',
};

/** Lower-cases and trims a recorded finish reason; empty input gives undefined. */
export function normalizeFinishReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const r = reason.trim().toLowerCase();
  return r === '' ? undefined : r;
}

/** The finish reason in `provider`'s words (see the table above); unknown providers get OpenAI words. */
export function providerFinishReason(provider: string | undefined, reason: string | undefined): string | undefined {
  const r = normalizeFinishReason(reason);
  if (r === undefined) return undefined;
  const table = provider !== undefined && provider.toLowerCase().includes('anthropic') ? TO_ANTHROPIC : TO_OPENAI;
  return lookup(table, r) ?? r;
}

/** True when the model stopped because it ran out of output tokens (`length`, `max_tokens`). */
export function isTruncation(reason: string | undefined): boolean {
  return reason === 'length' || reason === 'max_tokens' || reason === 'max_output_tokens';
}
