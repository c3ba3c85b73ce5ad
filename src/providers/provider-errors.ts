/**
 * Maps whatever an SDK call threw into a `ProviderError` the scheduler can act on. Both
 * official SDKs are generated from the same template, so their errors share a shape
 * (`status`, `headers`, class names); matching on that shape keeps one mapping for both.
 */
import { ProviderError } from './provider.js';
import type { Json } from '../traces/model.js';

/** Fields both SDKs' `APIError` carry. */
interface ApiErrorShape {
  name?: string;
  message?: string;
  status?: number;
  headers?: { get(name: string): string | null } | undefined;
  cause?: unknown;
}

/**
 * Parses `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date) into
 * milliseconds. Returns undefined when absent or unreadable. `now` is injectable for tests.
 */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'ENOTFOUND']);

function causeCode(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || err === null || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
  return causeCode((err as { cause?: unknown }).cause, depth + 1);
}

/** Normalizes an SDK or network error. Already-mapped `ProviderError`s pass through. */
export function toProviderError(err: unknown, provider: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as ApiErrorShape;
  // SDK error classes do not all set `name`; the constructor's name is reliable in both.
  const ctor = err !== null && typeof err === 'object' ? (err.constructor as { name?: string } | undefined)?.name : undefined;
  const name = `${typeof e.name === 'string' ? e.name : ''} ${ctor ?? ''}`;
  const message = `${provider}: ${typeof e.message === 'string' ? e.message : String(err)}`;
  const status = typeof e.status === 'number' ? e.status : undefined;

  if (status !== undefined) {
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(e.headers);
      return new ProviderError(message, { type: 'rate_limit', status, retryable: true, cause: err, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (status >= 500) {
      const retryAfterMs = parseRetryAfter(e.headers);
      return new ProviderError(message, { type: 'server', status, retryable: true, cause: err, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (status === 408) return new ProviderError(message, { type: 'timeout', status, retryable: true, cause: err });
    if (status === 401 || status === 403) return new ProviderError(message, { type: 'auth', status, retryable: false, cause: err });
    return new ProviderError(message, { type: 'bad_request', status, retryable: false, cause: err });
  }
  if (name.includes('Timeout')) {
    return new ProviderError(message, { type: 'timeout', retryable: true, cause: err });
  }
  if (err instanceof SyntaxError) {
    return new ProviderError(`${provider}: malformed response body (${err.message})`, { type: 'invalid_response', retryable: true, cause: err });
  }
  // undici reports a socket closed mid-body as a bare TypeError('terminated') with a cause chain.
  if (name.includes('Connection') || causeCode(err) !== undefined || /terminated|socket|fetch failed/i.test(message)) {
    return new ProviderError(message, { type: 'connection', retryable: true, cause: err });
  }
  return new ProviderError(message, { type: 'unknown', retryable: false, cause: err });
}

/** A response that parsed as JSON but lacks what the API promises (no choices, no content). */
export function invalidResponse(provider: string, what: string): ProviderError {
  return new ProviderError(`${provider}: invalid response: ${what}`, { type: 'invalid_response', retryable: true });
}

/** Parses tool-call arguments; keeps the raw string when it is not JSON (models do emit that). */
export function parseArguments(raw: string | undefined | null): Json {
  if (raw === undefined || raw === null || raw === '') return {};
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}
