/**
 * A provider sends one model request and returns one normalized response. Implementations
 * wrap the official SDKs (openai, @anthropic-ai/sdk) over real HTTP. A provider never retries
 * by itself (the SDK's own retries are switched off): the runner's scheduler owns retries,
 * backoff and rate limits, so it can count them.
 */
import type { Json, LlmParams, Message, StepError, ToolCall, ToolDefinition, Usage } from '../traces/model.js';
import type { BatchApi } from './batch.js';

export interface LlmRequest {
  model: string;
  messages: Message[];
  params: LlmParams;
  tools?: ToolDefinition[];
}

export interface LlmResponse {
  /** Assistant text, null when the answer is only tool calls. */
  content: string | null;
  toolCalls: ToolCall[];
  finishReason?: string;
  usage?: Usage;
  /** Model the provider says answered. */
  model?: string;
  /** Wall time of the HTTP exchange, ms. */
  latencyMs: number;
  /** Provider response id, if any. */
  id?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
}

/**
 * A failed call, normalized: `status` is the HTTP status when there was one, `retryAfterMs`
 * what the server asked for, `retryable` whether the scheduler may try again.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly info: {
      type: 'rate_limit' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'auth' | 'invalid_response' | 'unknown';
      status?: number;
      retryAfterMs?: number;
      retryable: boolean;
      cause?: unknown;
    },
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'ProviderError';
  }

  toStepError(): StepError {
    return { type: this.info.type, message: this.message };
  }
}

export interface Provider {
  /** Name from the config (`openai`, `anthropic`, `local-vllm`…). */
  readonly name: string;
  /** `openai-chat`, `openai-responses`, `anthropic-messages`. */
  readonly api: string;
  /** Base URL requests go to; part of the cache key so two servers never share answers. */
  readonly baseUrl?: string;
  complete(request: LlmRequest, options?: CallOptions): Promise<LlmResponse>;
  /**
   * Embeds `texts` with `model` (one vector per text, same order). Only OpenAI-compatible
   * providers have it (`POST /embeddings`); `semantic-similarity` reports its absence.
   */
  embed?(texts: string[], model: string, options?: CallOptions): Promise<EmbedResponse>;
  /** The provider's batch API (OpenAI Batch, Anthropic Message Batches), for `evals run --batch`. */
  readonly batch?: BatchApi;
}

/** What an embeddings call returns. */
export interface EmbedResponse {
  vectors: number[][];
  usage?: Usage;
  model?: string;
  /** Wall time of the HTTP exchange, ms. */
  latencyMs: number;
}

/** Stable JSON of a request, used as the cache key material. */
export type RequestKey = Json;
