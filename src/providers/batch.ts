/**
 * Provider batch APIs (OpenAI Batch, Anthropic Message Batches): many requests submitted as
 * one job, answered within 24 h at half the list price. A provider that has one exposes it as
 * `provider.batch`; the runner (src/runner/batch-*.ts) collects requests, submits, polls and
 * reads the results back. Each request carries a `customId` the results are matched by.
 */
import type { CallOptions, LlmRequest, LlmResponse } from './provider.js';
import type { StepError } from '../traces/model.js';

/** One request of a batch. `customId`: 1–64 of `[A-Za-z0-9_-]`, unique within the batch. */
export interface BatchRequest {
  customId: string;
  request: LlmRequest;
}

/** Provider limits of one batch. */
export interface BatchLimits {
  maxRequests: number;
  /** Of the serialized requests (OpenAI's input file, Anthropic's request body). */
  maxBytes: number;
}

/** OpenAI: 50 000 requests and 200 MB per input file. */
export const OPENAI_BATCH_LIMITS: BatchLimits = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 };
/** Anthropic: 100 000 requests and 256 MB per batch. */
export const ANTHROPIC_BATCH_LIMITS: BatchLimits = { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 };

/** A batch's state, in one vocabulary for both providers. */
export interface BatchStatus {
  /** `running` until the provider will change nothing more; then `ended`. */
  state: 'running' | 'ended';
  /** The provider's own word (`validating`, `in_progress`, `finalizing`, `completed`, `expired`, `ended`…). */
  status: string;
  counts: { total: number; succeeded: number; errored: number; processing: number };
  /** Why a batch ended without processing its requests (OpenAI `failed`: validation errors). */
  failure?: string;
}

/**
 * One request's outcome. `errored`: the provider answered this request with an error (recorded
 * as the case's error); `unfinished`: the batch expired or was cancelled before it ran (the
 * runner sends it live instead).
 */
export type BatchItemResult =
  | { customId: string; kind: 'succeeded'; response: LlmResponse }
  | { customId: string; kind: 'errored'; error: StepError & { status?: number } }
  | { customId: string; kind: 'unfinished'; reason: string };

/** A provider's batch API, through its official SDK. */
export interface BatchApi {
  readonly limits: BatchLimits;
  /** Bytes one request adds to the batch (its serialized line), for splitting by `limits.maxBytes`. */
  sizeOf(request: BatchRequest): number;
  /** Submits the requests as one batch; returns the provider's batch id. */
  submit(requests: BatchRequest[], options?: CallOptions): Promise<string>;
  status(id: string, options?: CallOptions): Promise<BatchStatus>;
  /** Every request's outcome, once the batch has ended. */
  results(id: string, options?: CallOptions): AsyncIterable<BatchItemResult>;
}

/**
 * Splits requests into batches within `limits` (pure, order kept). A single request larger
 * than `maxBytes` still gets a batch of its own: the provider will say what is wrong with it.
 */
export function chunkBatch<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxRequests || bytes + size > limits.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
