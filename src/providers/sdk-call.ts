/**
 * The part every SDK-backed provider shares: one request with the per-call timeout and abort
 * signal, SDK errors normalized to `ProviderError`, the response mapped, the latency measured.
 */
import type { CallOptions, LlmResponse } from './provider.js';
import { toProviderError } from './provider-errors.js';

/** Request options every official SDK accepts on a call. */
export interface SdkRequestOptions {
  timeout: number;
  signal?: AbortSignal;
}

/**
 * Sends one request through `send`, maps its result with `map`, and adds `latencyMs`.
 * @param defaultTimeoutMs used when the call gives no `timeoutMs`
 */
export async function callSdk<T>(
  provider: string,
  defaultTimeoutMs: number,
  call: CallOptions,
  send: (options: SdkRequestOptions) => Promise<T>,
  map: (res: T) => Omit<LlmResponse, 'latencyMs'>,
): Promise<LlmResponse> {
  const started = performance.now();
  let res: T;
  try {
    res = await send({ timeout: call.timeoutMs ?? defaultTimeoutMs, ...(call.signal ? { signal: call.signal } : {}) });
  } catch (err) {
    throw toProviderError(err, provider);
  }
  return { ...map(res), latencyMs: Math.round(performance.now() - started) };
}

/**
 * Constructor options both official SDKs accept: the key, an optional base URL and headers,
 * the timeout, and no retries of their own (the runner's scheduler retries and counts them).
 */
export function sdkClientOptions(opts: { apiKey: string; baseUrl?: string; headers?: Record<string, string> }, timeout: number): {
  apiKey: string;
  baseURL?: string;
  timeout: number;
  maxRetries: 0;
  defaultHeaders?: Record<string, string>;
} {
  return {
    apiKey: opts.apiKey,
    ...(opts.baseUrl !== undefined ? { baseURL: opts.baseUrl } : {}),
    timeout,
    maxRetries: 0,
    ...(opts.headers ? { defaultHeaders: opts.headers } : {}),
  };
}
