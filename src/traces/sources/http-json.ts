/**
 * The one place API sources talk HTTP: JSON requests with auth headers, a couple of retries on
 * 429/5xx (honouring `retry-after`), and errors that say what to fix (401 → credentials).
 */
import { ConfigError, RunError, excerpt } from '../../errors.js';

/** Options of one request. */
export interface HttpJsonOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  /** Name of the service for messages, e.g. `Langfuse`. */
  service: string;
  /** Env variable names to mention when authentication fails. */
  credentialsHint?: string;
  /** Retries on 429 and 5xx. Default 2. */
  retries?: number;
  /** Per-request timeout in ms. Default 30000. */
  timeoutMs?: number;
}

/** A 404: the caller decides whether that means "not found" or a wrong URL. */
export interface HttpNotFound {
  notFound: true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function retryDelayMs(res: Response, attempt: number): number {
  const header = res.headers.get('retry-after');
  const secs = header !== null ? Number(header) : NaN;
  if (Number.isFinite(secs)) return Math.min(secs * 1000, 30_000);
  return 200 * 2 ** attempt + Math.random() * 100;
}

/**
 * Sends a request and parses the JSON reply. Returns `{notFound: true}` on 404; throws
 * ConfigError on 401/403 and RunError on other failures (network, non-JSON, other statuses).
 */
export async function fetchJson<T>(url: string, opts: HttpJsonOptions): Promise<T | HttpNotFound> {
  const retries = opts.retries ?? 2;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: opts.method ?? 'GET',
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      if (attempt < retries) {
        await sleep(200 * 2 ** attempt);
        continue;
      }
      throw new RunError(`${opts.service}: request to ${url} failed: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return { notFound: true };
    }
    if (res.status === 401 || res.status === 403) {
      const text = await res.text();
      throw new ConfigError(`${opts.service} rejected the credentials (HTTP ${res.status})`, {
        found: excerpt(text, 200),
        expected: 'valid API credentials',
        ...(opts.credentialsHint ? { hint: `set ${opts.credentialsHint}` } : {}),
      });
    }
    if ((res.status === 429 || res.status >= 500) && attempt < retries) {
      await res.body?.cancel();
      await sleep(retryDelayMs(res, attempt));
      continue;
    }
    const text = await res.text();
    if (!res.ok) {
      throw new RunError(`${opts.service}: ${opts.method ?? 'GET'} ${url} returned HTTP ${res.status}`, { found: excerpt(text, 200) });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new RunError(`${opts.service}: ${url} did not return JSON`, { found: excerpt(text, 200), cause: err });
    }
  }
}

/** Narrows a `fetchJson` result. */
export function isNotFound(v: unknown): v is HttpNotFound {
  return typeof v === 'object' && v !== null && (v as { notFound?: unknown }).notFound === true;
}
