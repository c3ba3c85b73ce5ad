/**
 * OpenAI Chat Completions wire format (POST /v1/chat/completions): the completion object and
 * the chunk stream, shaped as the official `openai` SDK parses them.
 */
import { splitForStream } from './tokens.js';
import { sseData, sseDone } from './sse.js';
import type { NormalizedRequest, ReplyPlan } from './types.js';

/** Identity of one reply: ids derive from the request's arrival number so runs are repeatable. */
export interface ReplyIds {
  seq: number;
  /** Unix seconds. */
  created: number;
}

function usageOf(plan: ReplyPlan) {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

function toolCallsOf(plan: ReplyPlan, seq: number) {
  return plan.toolCalls.map((call, i) => ({
    id: `call_fake_${seq}_${i}`,
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

/** The non-streaming `chat.completion` object. */
export function renderChatCompletion(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): unknown {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: plan.content === '' && plan.toolCalls.length > 0 ? null : plan.content,
    refusal: null,
  };
  if (plan.toolCalls.length > 0) message['tool_calls'] = toolCallsOf(plan, ids.seq);
  return {
    id: `chatcmpl-fake-${ids.seq}`,
    object: 'chat.completion',
    created: ids.created,
    model: req.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: usageOf(plan),
    system_fingerprint: 'fp_fake',
  };
}

/**
 * The SSE stream of `chat.completion.chunk` objects: a role chunk, one chunk per text token,
 * each tool call as a header delta then argument deltas, the finish chunk, the usage chunk
 * when `stream_options.include_usage` is set, and `[DONE]`.
 */
export function renderChatStream(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): string {
  const base = { id: `chatcmpl-fake-${ids.seq}`, object: 'chat.completion.chunk', created: ids.created, model: req.model };
  const usage = req.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    sseData({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usage });

  let out = chunk({ role: 'assistant', content: '', refusal: null });
  for (const piece of splitForStream(plan.content)) out += chunk({ content: piece });
  toolCallsOf(plan, ids.seq).forEach((call, index) => {
    out += chunk({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
    });
    for (const piece of splitArguments(call.function.arguments)) {
      out += chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  out += chunk({}, plan.finishReason);
  if (req.includeUsage) out += sseData({ ...base, choices: [], usage: usageOf(plan) });
  return out + sseDone;
}

/** Splits tool-call arguments JSON into a few deltas, as real streams do. */
export function splitArguments(json: string, size = 16): string[] {
  const parts: string[] = [];
  for (let i = 0; i < json.length; i += size) parts.push(json.slice(i, i + size));
  return parts;
}
