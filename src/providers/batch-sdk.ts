/**
 * Helpers the two batch APIs share: one SDK call under a deadline with errors normalized
 * (callSdk's path, returning the SDK's value instead of a model response), the longer
 * deadline of file uploads and downloads, and the error type of a failed request's status.
 */
import type { CallOptions } from './provider.js';
import type { ProviderError } from './provider.js';
import { callSdk, type SdkRequestOptions } from './sdk-call.js';

/** Runs one SDK call with callSdk's deadline and error mapping; returns its value. */
export async function callSdkValue<T>(provider: string, timeoutMs: number, call: CallOptions, send: (o: SdkRequestOptions) => Promise<T>): Promise<T> {
  let value: T | undefined;
  await callSdk(provider, timeoutMs, call, send, (res) => {
    value = res;
    return { content: null, toolCalls: [] };
  });
  return value as T;
}

/** Uploads and downloads of up to a few hundred MB get at least 10 minutes. */
export function longOpTimeout(timeoutMs: number): number {
  return Math.max(timeoutMs, 600_000);
}

/** The error type of a request the batch answered with an HTTP error status. */
export function batchErrorType(status: number | undefined): ProviderError['info']['type'] {
  if (status === 429) return 'rate_limit';
  if (status !== undefined && status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  return status === undefined ? 'unknown' : 'bad_request';
}
