/**
 * Anthropic Messages through the official `@anthropic-ai/sdk`. The system prompt travels in
 * `system`, not as a message; assistant tool calls become `tool_use` blocks and tool results
 * `tool_result` blocks in the following user turn (consecutive results share one turn, as the
 * API requires).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, Message as AnthropicMessage, MessageCreateParamsNonStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CallOptions, LlmRequest, LlmResponse, Provider } from './provider.js';
import { invalidResponse } from './provider-errors.js';
import { callSdk, lazyClient, sdkClientOptions, sdkDefaultBaseUrl } from './sdk-call.js';
import { createAnthropicBatch } from './anthropic-batch.js';
import { asObject, DEFAULT_TIMEOUT_MS, type SdkProviderOptions } from './openai-chat.js';
import type { Json, Message, ToolCall, ToolDefinition, Usage } from '../traces/model.js';

/** `max_tokens` is mandatory for Anthropic; used when the case has none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 1024;

/** Maps model.ts messages to `{ system, messages }` (pure). */
export function toAnthropicMessages(messages: Message[]): { system?: string; messages: MessageParam[] } {
  const system: string[] = [];
  const out: MessageParam[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'system') {
      system.push(m.content ?? '');
      return;
    }
    if (m.role === 'tool') {
      const block: ContentBlockParam = { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content ?? '' };
      const last = out[out.length - 1];
      if (last && last.role === 'user' && Array.isArray(last.content) && last.content.every((b) => b.type === 'tool_result')) {
        last.content.push(block);
      } else {
        out.push({ role: 'user', content: [block] });
      }
      return;
    }
    if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
      const blocks: ContentBlockParam[] = [];
      if (m.content) blocks.push({ type: 'text', text: m.content });
      m.toolCalls.forEach((t, j) => blocks.push({ type: 'tool_use', id: t.id ?? `toolu_${i}_${j}`, name: t.name, input: toolInput(t.arguments) }));
      out.push({ role: 'assistant', content: blocks });
      return;
    }
    out.push({ role: m.role === 'assistant' ? 'assistant' : 'user', content: m.content ?? '' });
  });
  return system.length > 0 ? { system: system.join('\n\n'), messages: out } : { messages: out };
}

function toolInput(args: Json): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      return asObject(JSON.parse(args) as Json);
    } catch {
      return {};
    }
  }
  return asObject(args);
}

/** Maps tool definitions to Anthropic tools (`input_schema` must be an object schema). */
export function toAnthropicTools(tools: ToolDefinition[]): Tool[] {
  return tools.map((t) => ({
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    input_schema: { type: 'object', ...asObject(t.parameters) } as Tool.InputSchema,
  }));
}

/** Builds the request body (pure). Sampling fields are sent only when the case set them. */
export function toAnthropicBody(req: LlmRequest): MessageCreateParamsNonStreaming {
  const p = req.params;
  const { system, messages } = toAnthropicMessages(req.messages);
  const body: MessageCreateParamsNonStreaming = { model: req.model, messages, max_tokens: p.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS };
  if (system !== undefined) body.system = system;
  if (p.stop !== undefined) body.stop_sequences = p.stop;
  if (req.tools && req.tools.length > 0) body.tools = toAnthropicTools(req.tools);
  // The SDK's types no longer list sampling fields; the API still reads them.
  const sampling: Record<string, number> = {};
  if (p.temperature !== undefined) sampling.temperature = p.temperature;
  if (p.topP !== undefined) sampling.top_p = p.topP;
  if (p.topK !== undefined) sampling.top_k = p.topK;
  return { ...body, ...sampling, ...(p.extra as Record<string, unknown> | undefined) } as MessageCreateParamsNonStreaming;
}

const STOP_REASONS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter' };

/** Maps a Message to `LlmResponse` (without latency). Finish reasons use chat's vocabulary. */
export function fromAnthropicMessage(res: AnthropicMessage, provider: string): Omit<LlmResponse, 'latencyMs'> {
  if (!res || !Array.isArray(res.content)) throw invalidResponse(provider, 'no content array');
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of res.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: (block.input ?? {}) as Json });
  }
  const u = res.usage;
  const usage: Usage | undefined = u
    ? {
        // Anthropic's input_tokens exclude cache reads and writes; ours include them, as OpenAI's do.
        inputTokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
        outputTokens: u.output_tokens,
        totalTokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + u.output_tokens,
        ...(u.cache_read_input_tokens != null ? { cachedInputTokens: u.cache_read_input_tokens } : {}),
        ...(u.cache_creation_input_tokens != null ? { cacheCreationInputTokens: u.cache_creation_input_tokens } : {}),
      }
    : undefined;
  const stop = res.stop_reason ?? undefined;
  return {
    content: texts.length > 0 ? texts.join('') : null,
    toolCalls,
    ...(stop ? { finishReason: STOP_REASONS[stop] ?? stop } : {}),
    ...(usage ? { usage } : {}),
    ...(res.model ? { model: res.model } : {}),
    ...(res.id ? { id: res.id } : {}),
  };
}

/** Creates a provider for `POST /v1/messages`. The SDK never retries (`maxRetries: 0`). */
export function createAnthropicProvider(opts: SdkProviderOptions): Provider {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The SDK is imported on the first call (see lazyClient); its default base URL is known without it.
  const client = lazyClient<Anthropic>(async () => new (await import('@anthropic-ai/sdk')).default(sdkClientOptions(opts, timeout)));
  return {
    name: opts.name,
    api: 'anthropic-messages',
    baseUrl: opts.baseUrl ?? sdkDefaultBaseUrl('ANTHROPIC_BASE_URL', 'https://api.anthropic.com'),
    async complete(req: LlmRequest, call: CallOptions = {}): Promise<LlmResponse> {
      const c = await client();
      return callSdk(opts.name, timeout, call, (o) => c.messages.create(toAnthropicBody(req), o), (res) => fromAnthropicMessage(res, opts.name));
    },
    batch: createAnthropicBatch({ client, provider: opts.name, timeoutMs: timeout, toBody: toAnthropicBody, fromMessage: fromAnthropicMessage }),
  };
}
