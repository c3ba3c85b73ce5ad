/**
 * Anthropic Messages wire format (POST /v1/messages): the message object and the event stream
 * (message_start, content_block_*, message_delta, message_stop) the `@anthropic-ai/sdk` expects.
 */
import { splitArguments } from './openai-chat.js';
import type { ReplyIds } from './openai-chat.js';
import { splitForStream } from './tokens.js';
import { sseEvent } from './sse.js';
import type { NormalizedRequest, ReplyPlan } from './types.js';

type Block = Record<string, unknown>;

/** The neutral finish reason in Anthropic's spelling; unknown reasons pass through. */
export function anthropicStopReason(reason: string): string {
  if (reason === 'stop') return 'end_turn';
  if (reason === 'length') return 'max_tokens';
  if (reason === 'tool_calls') return 'tool_use';
  return reason;
}

function contentBlocks(plan: ReplyPlan, seq: number): Block[] {
  const blocks: Block[] = [];
  if (plan.content !== '' || plan.toolCalls.length === 0) {
    // The API omits `citations` unless they were asked for (the AI SDK's schema rejects null).
    blocks.push({ type: 'text', text: plan.content });
  }
  plan.toolCalls.forEach((call, i) => {
    blocks.push({ type: 'tool_use', id: `toolu_fake_${seq}_${i}`, name: call.name, input: call.arguments });
  });
  return blocks;
}

function usage(input: number, output: number): Block {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

/** The non-streaming `message` object. */
export function renderMessage(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): unknown {
  return {
    id: `msg_fake_${ids.seq}`,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content: contentBlocks(plan, ids.seq),
    stop_reason: anthropicStopReason(plan.finishReason),
    stop_sequence: null,
    usage: usage(plan.inputTokens, plan.outputTokens),
  };
}

/** The SSE event stream of one message: text as `text_delta`s, tool input as `input_json_delta`s. */
export function renderMessageStream(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): string {
  let out = sseEvent('message_start', {
    type: 'message_start',
    message: {
      id: `msg_fake_${ids.seq}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(plan.inputTokens, 1),
    },
  });
  contentBlocks(plan, ids.seq).forEach((block, index) => {
    const isText = block['type'] === 'text';
    const start = isText ? { ...block, text: '' } : { ...block, input: {} };
    out += sseEvent('content_block_start', { type: 'content_block_start', index, content_block: start });
    const deltas = isText
      ? splitForStream(plan.content).map((text) => ({ type: 'text_delta', text }))
      : splitArguments(JSON.stringify(block['input'])).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    for (const delta of deltas) out += sseEvent('content_block_delta', { type: 'content_block_delta', index, delta });
    out += sseEvent('content_block_stop', { type: 'content_block_stop', index });
  });
  out += sseEvent('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: anthropicStopReason(plan.finishReason), stop_sequence: null },
    usage: { output_tokens: plan.outputTokens },
  });
  return out + sseEvent('message_stop', { type: 'message_stop' });
}
