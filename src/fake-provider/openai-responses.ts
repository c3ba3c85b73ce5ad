/**
 * OpenAI Responses wire format (POST /v1/responses): the response object and the typed event
 * stream (`response.created` … `response.completed`) that the SDK's accumulator replays.
 */
import { splitArguments } from './openai-chat.js';
import type { ReplyIds } from './openai-chat.js';
import { splitForStream } from './tokens.js';
import { sseEvent } from './sse.js';
import type { NormalizedRequest, ReplyPlan } from './types.js';

type Item = Record<string, unknown>;

/** Output items of the finished response: the message (when there is text), then function calls. */
function outputItems(plan: ReplyPlan, seq: number): Item[] {
  const items: Item[] = [];
  if (plan.content !== '' || plan.toolCalls.length === 0) {
    items.push({
      type: 'message',
      id: `msg_fake_${seq}`,
      status: plan.finishReason === 'length' ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: plan.content, annotations: [], logprobs: [] }],
    });
  }
  plan.toolCalls.forEach((call, i) => {
    items.push({
      type: 'function_call',
      id: `fc_fake_${seq}_${i}`,
      call_id: `call_fake_${seq}_${i}`,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
      status: 'completed',
    });
  });
  return items;
}

function responseObject(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds, output: Item[], done: boolean): Item {
  const incomplete = plan.finishReason === 'length';
  return {
    id: `resp_fake_${ids.seq}`,
    object: 'response',
    created_at: ids.created,
    status: !done ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: done && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: req.system === '' ? null : req.system,
    max_output_tokens: req.maxTokens ?? null,
    model: req.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    temperature: 1,
    top_p: 1,
    tool_choice: 'auto',
    tools: [],
    text: { format: { type: 'text' } },
    truncation: 'disabled',
    metadata: {},
    usage: done
      ? {
          input_tokens: plan.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: plan.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: plan.inputTokens + plan.outputTokens,
        }
      : null,
  };
}

/** The non-streaming `response` object. */
export function renderResponse(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): unknown {
  return responseObject(plan, req, ids, outputItems(plan, ids.seq), true);
}

/**
 * The SSE event stream: created, in_progress, per item added / deltas / done, and finally
 * `response.completed` (or `response.incomplete` when the token limit cut the text).
 */
export function renderResponseStream(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): string {
  let seqNo = 0;
  let out = '';
  const emit = (type: string, data: Item): void => {
    out += sseEvent(type, { type, sequence_number: seqNo++, ...data });
  };
  emit('response.created', { response: responseObject(plan, req, ids, [], false) });
  emit('response.in_progress', { response: responseObject(plan, req, ids, [], false) });
  const items = outputItems(plan, ids.seq);
  items.forEach((item, output_index) => {
    const item_id = item['id'];
    if (item['type'] === 'message') {
      emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      emit('response.content_part.added', { item_id, output_index, content_index: 0, part });
      for (const delta of splitForStream(plan.content)) {
        emit('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
      }
      emit('response.output_text.done', { item_id, output_index, content_index: 0, text: plan.content, logprobs: [] });
      emit('response.content_part.done', { item_id, output_index, content_index: 0, part: { ...part, text: plan.content } });
    } else {
      const args = String(item['arguments']);
      emit('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      for (const delta of splitArguments(args)) {
        emit('response.function_call_arguments.delta', { item_id, output_index, delta });
      }
      emit('response.function_call_arguments.done', { item_id, output_index, name: item['name'], arguments: args });
    }
    emit('response.output_item.done', { output_index, item });
  });
  const final = responseObject(plan, req, ids, items, true);
  emit(final['status'] === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return out;
}
