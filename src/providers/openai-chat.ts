/**
 * OpenAI Chat Completions through the official `openai` SDK. Any OpenAI-compatible base URL
 * (vLLM, Ollama, Azure-style gateways, the fake provider) works, since only `baseURL` changes.
 */
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { CallOptions, EmbedResponse, LlmRequest, LlmResponse, Provider } from './provider.js';
import { openAiEmbed } from './openai-embed.js';
import { invalidResponse, parseArguments } from './provider-errors.js';
import { callSdk, lazyClient, sdkClientOptions, sdkDefaultBaseUrl } from './sdk-call.js';
import { createOpenAiBatch } from './openai-batch.js';
import type { Json, Message, ToolCall, ToolDefinition, Usage } from '../traces/model.js';

/** What every SDK-backed provider needs to connect. */
export interface SdkProviderOptions {
  /** Provider name from the config. */
  name: string;
  apiKey: string;
  /** Default: the SDK's own (api.openai.com / api.anthropic.com). */
  baseUrl?: string;
  /** Per-request timeout, ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** Default SDK timeout, ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Maps model.ts messages to Chat Completions message params. */
export function toChatMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content ?? '' };
      case 'user':
        return { role: 'user', content: m.content ?? '', ...(m.name ? { name: m.name } : {}) };
      case 'tool':
        return { role: 'tool', content: m.content ?? '', tool_call_id: m.toolCallId ?? '' };
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls && m.toolCalls.length > 0
            ? {
                tool_calls: m.toolCalls.map((t, i) => ({
                  id: t.id ?? `call_${i}`,
                  type: 'function' as const,
                  function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) },
                })),
              }
            : {}),
        };
    }
  });
}

/** Maps tool definitions to Chat Completions function tools. */
export function toChatTools(tools: ToolDefinition[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.parameters !== undefined ? { parameters: asObject(t.parameters) } : {}),
    },
  }));
}

/** Builds the request body (pure, so the mapping is tested without HTTP). */
export function toChatBody(req: LlmRequest): ChatCompletionCreateParamsNonStreaming {
  const p = req.params;
  const body: ChatCompletionCreateParamsNonStreaming = { model: req.model, messages: toChatMessages(req.messages) };
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
  if (p.topP !== undefined) body.top_p = p.topP;
  if (p.frequencyPenalty !== undefined) body.frequency_penalty = p.frequencyPenalty;
  if (p.presencePenalty !== undefined) body.presence_penalty = p.presencePenalty;
  if (p.stop !== undefined) body.stop = p.stop;
  if (p.seed !== undefined) body.seed = p.seed;
  if (req.tools && req.tools.length > 0) body.tools = toChatTools(req.tools);
  // `extra` carries provider-specific fields the model does not name (e.g. reasoning_effort).
  return { ...body, ...(p.extra as Record<string, unknown> | undefined) } as ChatCompletionCreateParamsNonStreaming;
}

/** Maps a Chat Completion to `LlmResponse` (without latency). Throws invalid_response when unusable. */
export function fromChatCompletion(res: ChatCompletion, provider: string): Omit<LlmResponse, 'latencyMs'> {
  const choice = Array.isArray(res?.choices) ? res.choices[0] : undefined;
  if (!choice || typeof choice.message !== 'object' || choice.message === null) throw invalidResponse(provider, 'no choices[0].message');
  const toolCalls: ToolCall[] = [];
  for (const tc of choice.message.tool_calls ?? []) {
    if (tc.type === 'function') toolCalls.push({ id: tc.id, name: tc.function.name, arguments: parseArguments(tc.function.arguments) });
  }
  const u = res.usage;
  const usage: Usage | undefined = u
    ? {
        inputTokens: u.prompt_tokens,
        outputTokens: u.completion_tokens,
        totalTokens: u.total_tokens,
        ...(u.prompt_tokens_details?.cached_tokens != null ? { cachedInputTokens: u.prompt_tokens_details.cached_tokens } : {}),
        ...(u.completion_tokens_details?.reasoning_tokens != null ? { reasoningTokens: u.completion_tokens_details.reasoning_tokens } : {}),
      }
    : undefined;
  return {
    content: choice.message.content ?? null,
    toolCalls,
    ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
    ...(usage ? { usage } : {}),
    ...(res.model ? { model: res.model } : {}),
    ...(res.id ? { id: res.id } : {}),
  };
}

/** Creates a provider for `POST /chat/completions`. The SDK never retries (`maxRetries: 0`). */
export function createOpenAiChatProvider(opts: SdkProviderOptions): Provider {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = openAiClient(opts, timeout);
  return {
    name: opts.name,
    api: 'openai-chat',
    baseUrl: opts.baseUrl ?? OPENAI_DEFAULT_BASE_URL(),
    // The SDK is loaded before the call's deadline starts: import time is not the server's.
    async complete(req: LlmRequest, call: CallOptions = {}): Promise<LlmResponse> {
      const c = await client();
      return callSdk(opts.name, timeout, call, (o) => c.chat.completions.create(toChatBody(req), o), (res) => fromChatCompletion(res, opts.name));
    },
    async embed(texts: string[], model: string, call: CallOptions = {}): Promise<EmbedResponse> {
      return openAiEmbed(await client(), opts.name, timeout, texts, model, call);
    },
    batch: createOpenAiBatch({ client, provider: opts.name, timeoutMs: timeout, endpoint: '/v1/chat/completions', toBody: toChatBody, fromResponse: fromChatCompletion }),
  };
}

/** The `openai` SDK client, imported and created on the provider's first call (see lazyClient). */
export function openAiClient(opts: SdkProviderOptions, timeout: number): () => Promise<OpenAI> {
  return lazyClient(async () => new (await import('openai')).default(sdkClientOptions(opts, timeout)));
}

/** The SDK's own default (`OPENAI_BASE_URL`, else api.openai.com), known without loading it. */
export const OPENAI_DEFAULT_BASE_URL = (): string => sdkDefaultBaseUrl('OPENAI_BASE_URL', 'https://api.openai.com/v1');

/** Narrows arbitrary JSON tool parameters for SDKs that want an object. */
export function asObject(value: Json | undefined): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
