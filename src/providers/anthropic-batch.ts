/**
 * Anthropic Message Batches through the official SDK: `messages.batches.create` with
 * `{custom_id, params}` per request, `retrieve` to poll (`processing_status`), and `results`
 * (the JSONL behind `results_url`) once the batch has ended.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message as AnthropicMessage, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BatchApi, BatchItemResult, BatchRequest, BatchStatus } from './batch.js';
import { ANTHROPIC_BATCH_LIMITS } from './batch.js';
import { callSdkValue, longOpTimeout } from './batch-sdk.js';
import type { CallOptions, LlmRequest, LlmResponse } from './provider.js';

/** What the batch API needs from the provider that owns it. */
export interface AnthropicBatchDeps {
  /** The provider's client, created on first use (see lazyClient). */
  client: () => Promise<Anthropic>;
  provider: string;
  timeoutMs: number;
  toBody: (req: LlmRequest) => MessageCreateParamsNonStreaming;
  fromMessage: (res: AnthropicMessage, provider: string) => Omit<LlmResponse, 'latencyMs'>;
}

/** A batch's status in the neutral vocabulary (pure). */
export function fromMessageBatch(b: MessageBatch): BatchStatus {
  const c = b.request_counts;
  const total = c.succeeded + c.errored + c.expired + c.canceled + c.processing;
  const tail = c.expired || c.canceled ? ` (${c.expired} expired, ${c.canceled} canceled)` : '';
  return {
    state: b.processing_status === 'ended' ? 'ended' : 'running',
    status: `${b.processing_status}${tail}`,
    counts: { total, succeeded: c.succeeded, errored: c.errored, processing: c.processing },
  };
}

/** Maps one result line (pure). */
export function fromAnthropicResult(r: MessageBatchIndividualResponse, provider: string, fromMessage: AnthropicBatchDeps['fromMessage']): BatchItemResult {
  const customId = r.custom_id;
  const result = r.result;
  switch (result.type) {
    case 'succeeded':
      try {
        return { customId, kind: 'succeeded', response: { ...fromMessage(result.message, provider), latencyMs: 0 } };
      } catch (err) {
        return { customId, kind: 'errored', error: { type: 'invalid_response', message: err instanceof Error ? err.message : String(err) } };
      }
    case 'errored': {
      const e = (result.error as { error?: { type?: string; message?: string } } | undefined)?.error;
      const type = e?.type === 'rate_limit_error' ? 'rate_limit' : e?.type === 'api_error' || e?.type === 'overloaded_error' ? 'server' : 'bad_request';
      return { customId, kind: 'errored', error: { type, message: `${provider} (batch): ${e?.type ?? 'error'}: ${e?.message ?? 'no message'}` } };
    }
    default:
      return { customId, kind: 'unfinished', reason: result.type };
  }
}

/** Creates the batch API of an Anthropic provider. */
export function createAnthropicBatch(d: AnthropicBatchDeps): BatchApi {
  const params = (r: BatchRequest) => ({ custom_id: r.customId, params: d.toBody(r.request) });
  return {
    limits: ANTHROPIC_BATCH_LIMITS,
    sizeOf: (r) => Buffer.byteLength(JSON.stringify(params(r))) + 1,
    async submit(requests: BatchRequest[], call: CallOptions = {}): Promise<string> {
      const c = await d.client();
      const batch = await callSdkValue(d.provider, longOpTimeout(d.timeoutMs), call, (o) => c.messages.batches.create({ requests: requests.map(params) }, o));
      return batch.id;
    },
    async status(id: string, call: CallOptions = {}): Promise<BatchStatus> {
      const c = await d.client();
      return fromMessageBatch(await callSdkValue(d.provider, d.timeoutMs, call, (o) => c.messages.batches.retrieve(id, undefined, o)));
    },
    async *results(id: string, call: CallOptions = {}): AsyncIterable<BatchItemResult> {
      // The whole download under one long deadline: read every line inside the call.
      const c = await d.client();
      const items = await callSdkValue(d.provider, longOpTimeout(d.timeoutMs), call, async (o) => {
        const out: BatchItemResult[] = [];
        for await (const r of await c.messages.batches.results(id, undefined, o)) out.push(fromAnthropicResult(r, d.provider, d.fromMessage));
        return out;
      });
      yield* items;
    },
  };
}
