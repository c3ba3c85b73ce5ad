/**
 * `POST /embeddings` through the official `openai` SDK, shared by both OpenAI providers (the
 * endpoint is the same whichever completion API the provider speaks).
 */
import type OpenAI from 'openai';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { CallOptions, EmbedResponse } from './provider.js';
import { invalidResponse } from './provider-errors.js';
import { callSdk } from './sdk-call.js';

/** Embeds `texts` with `model`: one vector per text, in input order. */
export async function openAiEmbed(client: OpenAI, provider: string, timeoutMs: number, texts: string[], model: string, call: CallOptions = {}): Promise<EmbedResponse> {
  let out: Omit<EmbedResponse, 'latencyMs'> | undefined;
  const res = await callSdk(
    provider,
    timeoutMs,
    call,
    (o) => client.embeddings.create({ model, input: texts, encoding_format: 'float' }, o),
    (r) => {
      out = fromEmbeddingResponse(r, provider, texts.length);
      return { content: null, toolCalls: [] };
    },
  );
  return { ...(out as Omit<EmbedResponse, 'latencyMs'>), latencyMs: res.latencyMs };
}

/** Maps an embeddings response (pure). Throws invalid_response when a vector is missing or not numeric. */
export function fromEmbeddingResponse(res: CreateEmbeddingResponse, provider: string, count: number): Omit<EmbedResponse, 'latencyMs'> {
  const data = Array.isArray(res?.data) ? res.data : [];
  const vectors: number[][] = [];
  for (let i = 0; i < count; i++) {
    const row = data.find((d) => d.index === i) ?? data[i];
    const v = row?.embedding;
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw invalidResponse(provider, `embeddings data[${i}].embedding is not a non-empty array of numbers`);
    }
    vectors.push(v);
  }
  const u = res.usage;
  return {
    vectors,
    ...(u ? { usage: { inputTokens: u.prompt_tokens, outputTokens: 0, totalTokens: u.total_tokens } } : {}),
    ...(res.model ? { model: res.model } : {}),
  };
}
