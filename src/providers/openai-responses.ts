/**
 * OpenAI Responses API (`POST /responses`) through the official SDK. System messages become
 * `instructions`; assistant tool calls and tool results become `function_call` and
 * `function_call_output` input items, matched by call id.
 */
import type { FunctionTool, Response, ResponseCreateParamsNonStreaming, ResponseInputItem } from 'openai/resources/responses/responses';
import type { CallOptions, EmbedResponse, LlmRequest, LlmResponse, Provider } from './provider.js';
import { openAiEmbed } from './openai-embed.js';
import { invalidResponse, parseArguments } from './provider-errors.js';
import { callSdk } from './sdk-call.js';
import { createOpenAiBatch } from './openai-batch.js';
import { asObject, DEFAULT_TIMEOUT_MS, OPENAI_DEFAULT_BASE_URL, openAiClient, type SdkProviderOptions } from './openai-chat.js';
import type { Message, ToolCall, ToolDefinition, Usage } from '../traces/model.js';

/** Maps model.ts messages to `{ instructions, input }` (pure). */
export function toResponsesInput(messages: Message[]): { instructions?: string; input: ResponseInputItem[] } {
  const system: string[] = [];
  const input: ResponseInputItem[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'system') {
      system.push(m.content ?? '');
    } else if (m.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: m.toolCallId ?? '', output: m.content ?? '' });
    } else if (m.role === 'assistant') {
      if (m.content !== null && m.content !== '') input.push({ role: 'assistant', content: m.content });
      (m.toolCalls ?? []).forEach((t, j) =>
        input.push({
          type: 'function_call',
          call_id: t.id ?? `call_${i}_${j}`,
          name: t.name,
          arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments),
        }),
      );
    } else {
      input.push({ role: 'user', content: m.content ?? '' });
    }
  });
  return system.length > 0 ? { instructions: system.join('\n\n'), input } : { input };
}

/** Maps tool definitions to Responses function tools (non-strict: captured schemas are rarely strict-ready). */
export function toResponsesTools(tools: ToolDefinition[]): FunctionTool[] {
  return tools.map((t) => ({
    type: 'function',
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    parameters: asObject(t.parameters),
    strict: false,
  }));
}

/** Builds the request body (pure). `stop` and `seed` have no Responses equivalent and are dropped. */
export function toResponsesBody(req: LlmRequest): ResponseCreateParamsNonStreaming {
  const p = req.params;
  const { instructions, input } = toResponsesInput(req.messages);
  const body: ResponseCreateParamsNonStreaming = { model: req.model, input };
  if (instructions !== undefined) body.instructions = instructions;
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.maxTokens !== undefined) body.max_output_tokens = p.maxTokens;
  if (p.topP !== undefined) body.top_p = p.topP;
  if (req.tools && req.tools.length > 0) body.tools = toResponsesTools(req.tools);
  return { ...body, ...(p.extra as Record<string, unknown> | undefined) } as ResponseCreateParamsNonStreaming;
}

/** Maps a Response to `LlmResponse` (without latency). Finish reasons use chat's vocabulary. */
export function fromResponse(res: Response, provider: string): Omit<LlmResponse, 'latencyMs'> {
  if (!res || !Array.isArray(res.output)) throw invalidResponse(provider, 'no output array');
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const item of res.output) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') texts.push(part.text);
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: parseArguments(item.arguments) });
    }
  }
  let finishReason = 'stop';
  if (res.status === 'incomplete') finishReason = res.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  else if (toolCalls.length > 0) finishReason = 'tool_calls';
  const u = res.usage;
  const usage: Usage | undefined = u
    ? {
        inputTokens: u.input_tokens,
        outputTokens: u.output_tokens,
        totalTokens: u.total_tokens,
        ...(u.input_tokens_details?.cached_tokens != null ? { cachedInputTokens: u.input_tokens_details.cached_tokens } : {}),
        ...(u.output_tokens_details?.reasoning_tokens != null ? { reasoningTokens: u.output_tokens_details.reasoning_tokens } : {}),
      }
    : undefined;
  return {
    content: texts.length > 0 ? texts.join('') : null,
    toolCalls,
    finishReason,
    ...(usage ? { usage } : {}),
    ...(res.model ? { model: res.model } : {}),
    ...(res.id ? { id: res.id } : {}),
  };
}

/** Creates a provider for the Responses API. The SDK never retries (`maxRetries: 0`). */
export function createOpenAiResponsesProvider(opts: SdkProviderOptions): Provider {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = openAiClient(opts, timeout);
  return {
    name: opts.name,
    api: 'openai-responses',
    baseUrl: opts.baseUrl ?? OPENAI_DEFAULT_BASE_URL(),
    async complete(req: LlmRequest, call: CallOptions = {}): Promise<LlmResponse> {
      const c = await client();
      return callSdk(opts.name, timeout, call, (o) => c.responses.create(toResponsesBody(req), o), (res) => fromResponse(res, opts.name));
    },
    async embed(texts: string[], model: string, call: CallOptions = {}): Promise<EmbedResponse> {
      return openAiEmbed(await client(), opts.name, timeout, texts, model, call);
    },
    batch: createOpenAiBatch({ client, provider: opts.name, timeoutMs: timeout, endpoint: '/v1/responses', toBody: toResponsesBody, fromResponse }),
  };
}
