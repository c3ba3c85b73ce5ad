/**
 * The part every SDK-backed provider shares: one request under one whole-call deadline and the
 * caller's abort signal, SDK errors normalized to `ProviderError`, the response mapped, the latency measured.
 */
import type { CallOptions, LlmResponse } from './provider.js';
import { ProviderError } from './provider.js';
import { toProviderError } from './provider-errors.js';
import { httpTransport, type FetchLike } from './http-transport.js';

/** Request options every official SDK accepts on a call. */
export interface SdkRequestOptions {
  timeout: number;
  signal?: AbortSignal;
}

/**
 * Sends one request through `send`, maps its result with `map`, and adds `latencyMs`.
 *
 * One deadline covers the whole call: connecting, the headers AND the body (a stream's last
 * event included). The SDKs' own `timeout` stops once the headers arrive, so a body that stalls
 * would hang forever; here the call's signal is aborted when the deadline passes, and the
 * caller gets a retryable `timeout` even if the SDK ignores the abort.
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
  const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
  const deadline = withDeadline(provider, timeoutMs, call.signal);
  let res: T;
  try {
    res = await Promise.race([send({ timeout: timeoutMs, signal: deadline.signal }), deadline.expired]);
  } catch (err) {
    throw deadline.timedOut() && !call.signal?.aborted ? deadline.error() : toProviderError(err, provider);
  } finally {
    deadline.clear();
  }
  return { ...map(res), latencyMs: Math.round(performance.now() - started) };
}

/** A signal that aborts when `parent` does or when `ms` pass, and a promise that rejects then. */
function withDeadline(provider: string, ms: number, parent: AbortSignal | undefined) {
  const controller = new AbortController();
  const error = (): ProviderError =>
    new ProviderError(`${provider}: no complete response within ${ms} ms (headers and body)`, { type: 'timeout', retryable: true });
  let fired = false;
  let reject: (e: unknown) => void = () => {};
  const expired = new Promise<never>((_, r) => (reject = r));
  // Never left unhandled: when `send` wins the race nobody awaits `expired`.
  expired.catch(() => {});
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(error());
    reject(error());
  }, ms);
  const onParentAbort = (): void => {
    controller.abort(parent?.reason);
    reject(parent?.reason ?? new Error('aborted'));
  };
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (parent?.aborted) onParentAbort();
  return {
    signal: controller.signal,
    expired,
    error,
    timedOut: () => fired,
    clear: (): void => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Constructor options both official SDKs accept: the key, an optional base URL and headers,
 * the timeout, no retries of their own (the runner's scheduler retries and counts them), and
 * the keep-alive `node:http` transport (http-transport.ts).
 */
export function sdkClientOptions(opts: { apiKey: string; baseUrl?: string; headers?: Record<string, string> }, timeout: number): {
  apiKey: string;
  baseURL?: string;
  timeout: number;
  maxRetries: 0;
  defaultHeaders?: Record<string, string>;
  fetch?: FetchLike;
} {
  const fetch = httpTransport();
  return {
    apiKey: opts.apiKey,
    ...(opts.baseUrl !== undefined ? { baseURL: opts.baseUrl } : {}),
    timeout,
    maxRetries: 0,
    ...(opts.headers ? { defaultHeaders: opts.headers } : {}),
    ...(fetch ? { fetch } : {}),
  };
}

/**
 * A client created on first use: the SDK module is imported only when a provider of its type
 * makes its first call, so `evals run` with OpenAI providers never loads the Anthropic SDK
 * (hundreds of modules, ≈0.5 s of start-up) and vice versa. Concurrent first calls share one import.
 */
export function lazyClient<T>(create: () => Promise<T>): () => Promise<T> {
  let client: Promise<T> | undefined;
  return () => {
    client ??= create().catch((err: unknown) => {
      client = undefined;
      throw err;
    });
    return client;
  };
}

/** The SDKs' default base URL: `<ENV>` (trimmed, when set and not empty), else `fallback`. */
export function sdkDefaultBaseUrl(env: string, fallback: string): string {
  return process.env[env]?.trim() || fallback;
}
