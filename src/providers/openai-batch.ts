/**
 * The OpenAI Batch API through the official SDK: the requests as a JSONL file
 * (`{custom_id, method, url, body}` per line) uploaded with purpose `batch`
 * (`files.create`), `batches.create` on it, `batches.retrieve` to poll, and the output and
 * error files (`files.content`) for the answers. Serves both OpenAI providers: only the
 * endpoint and the body/response mapping differ.
 */
import type OpenAI from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { BatchApi, BatchItemResult, BatchRequest, BatchStatus } from './batch.js';
import { OPENAI_BATCH_LIMITS } from './batch.js';
import { batchErrorType, callSdkValue, longOpTimeout } from './batch-sdk.js';
import type { CallOptions, LlmRequest, LlmResponse } from './provider.js';

/** Batch endpoints evals uses, by provider API. */
export type OpenAiBatchEndpoint = '/v1/chat/completions' | '/v1/responses';

/** What the batch API needs from the provider that owns it. */
export interface OpenAiBatchDeps<Body, Res> {
  /** The provider's client, created on first use (see lazyClient). */
  client: () => Promise<OpenAI>;
  provider: string;
  timeoutMs: number;
  endpoint: OpenAiBatchEndpoint;
  toBody: (req: LlmRequest) => Body;
  fromResponse: (res: Res, provider: string) => Omit<LlmResponse, 'latencyMs'>;
}

const RUNNING = new Set(['validating', 'in_progress', 'finalizing', 'cancelling']);

/** One input line (pure). */
export function openAiBatchLine<Body>(r: BatchRequest, endpoint: OpenAiBatchEndpoint, toBody: (req: LlmRequest) => Body): string {
  return JSON.stringify({ custom_id: r.customId, method: 'POST', url: endpoint, body: toBody(r.request) });
}

/** A batch's status in the neutral vocabulary (pure). */
export function fromOpenAiBatch(b: Batch): BatchStatus {
  const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
  const failure = b.status === 'failed' ? (b.errors?.data ?? []).map((e) => `${e.code ?? 'error'}${e.line != null ? ` (line ${e.line})` : ''}: ${e.message ?? ''}`).join('; ') || 'failed' : undefined;
  return {
    state: RUNNING.has(b.status) ? 'running' : 'ended',
    status: b.status,
    counts: { total: c.total, succeeded: c.completed, errored: c.failed, processing: Math.max(0, c.total - c.completed - c.failed) },
    ...(failure !== undefined ? { failure } : {}),
  };
}

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/** Maps one line of an output or error file (pure). Undefined for a line without custom_id. */
export function fromOpenAiOutputLine<Res>(line: OutputLine, provider: string, fromResponse: (res: Res, provider: string) => Omit<LlmResponse, 'latencyMs'>): BatchItemResult | undefined {
  const customId = line.custom_id;
  if (typeof customId !== 'string') return undefined;
  const code = line.error?.code;
  if (code === 'batch_expired' || code === 'batch_cancelled') return { customId, kind: 'unfinished', reason: code };
  const status = line.response?.status_code;
  if (line.error || status !== 200) {
    const body = line.response?.body as { error?: { message?: string } } | undefined;
    const message = line.error?.message ?? body?.error?.message ?? `HTTP ${status ?? '?'}`;
    return { customId, kind: 'errored', error: { type: batchErrorType(status), message: `${provider} (batch): ${message}`, ...(status !== undefined ? { status } : {}) } };
  }
  try {
    return { customId, kind: 'succeeded', response: { ...fromResponse(line.response?.body as Res, provider), latencyMs: 0 } };
  } catch (err) {
    return { customId, kind: 'errored', error: { type: 'invalid_response', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Creates the batch API of an OpenAI provider. */
export function createOpenAiBatch<Body, Res>(d: OpenAiBatchDeps<Body, Res>): BatchApi {
  const longOp = longOpTimeout(d.timeoutMs);
  return {
    limits: OPENAI_BATCH_LIMITS,
    sizeOf: (r) => Buffer.byteLength(openAiBatchLine(r, d.endpoint, d.toBody)) + 1,
    async submit(requests: BatchRequest[], call: CallOptions = {}): Promise<string> {
      const text = `${requests.map((r) => openAiBatchLine(r, d.endpoint, d.toBody)).join('\n')}\n`;
      const [c, { toFile }] = await Promise.all([d.client(), import('openai')]);
      const file = await callSdkValue(d.provider, longOp, call, async (o) =>
        c.files.create({ file: await toFile(Buffer.from(text, 'utf8'), 'evals-batch.jsonl', { type: 'application/jsonl' }), purpose: 'batch' }, o),
      );
      const batch = await callSdkValue(d.provider, d.timeoutMs, call, (o) =>
        c.batches.create({ input_file_id: file.id, endpoint: d.endpoint, completion_window: '24h', metadata: { source: 'evals run --batch' } }, o),
      );
      return batch.id;
    },
    async status(id: string, call: CallOptions = {}): Promise<BatchStatus> {
      const c = await d.client();
      return fromOpenAiBatch(await callSdkValue(d.provider, d.timeoutMs, call, (o) => c.batches.retrieve(id, o)));
    },
    async *results(id: string, call: CallOptions = {}): AsyncIterable<BatchItemResult> {
      const c = await d.client();
      const b = await callSdkValue(d.provider, d.timeoutMs, call, (o) => c.batches.retrieve(id, o));
      for (const fileId of [b.output_file_id, b.error_file_id]) {
        if (!fileId) continue;
        const text = await callSdkValue(d.provider, longOp, call, async (o) => (await c.files.content(fileId, o)).text());
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          let line: OutputLine;
          try {
            line = JSON.parse(raw) as OutputLine;
          } catch {
            continue;
          }
          const item = fromOpenAiOutputLine(line, d.provider, d.fromResponse);
          if (item) yield item;
        }
      }
    },
  };
}
