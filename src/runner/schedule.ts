/**
 * Scheduling: bounded concurrency over cases (p-limit) that adapts to rate limits (halve on a
 * 429, add one back per window of successes: AIMD, like TCP), and a retry loop per provider call
 * with exponential backoff and full jitter that never waits less than the server's retry-after.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ProviderError } from '../providers/provider.js';

/** Retry policy of one provider call. */
export interface RetryOptions {
  /** Attempts in total, first included. Default 5. */
  maxAttempts?: number;
  /** Backoff base, ms: attempt n waits up to base·2^(n-1). Default 500. */
  baseDelayMs?: number;
  /** Cap of one wait, ms (retry-after is honoured even above it, up to maxRetryAfterMs). Default 20 000. */
  maxDelayMs?: number;
  /** Longest retry-after honoured; a longer one fails the call instead. Default 120 000. */
  maxRetryAfterMs?: number;
}

export interface SchedulerOptions extends RetryOptions {
  /** Cases in flight at most. Default 8. */
  concurrency?: number;
  /** Floor of adaptive concurrency. Default 1. */
  minConcurrency?: number;
  /** Two halvings are at least this far apart, so one burst of 429s halves once. Default 1000 ms. */
  decreaseCooldownMs?: number;
  /** Uniform [0,1) source for jitter; injectable for tests. Default Math.random. */
  random?: () => number;
  /** Abortable sleep; injectable so tests count waits instead of measuring wall time. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic clock, ms. Default performance.now. */
  now?: () => number;
}

/** Defaults of RetryOptions. */
export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 120_000 };

/**
 * Wait before retry number `attempt` (1 = first retry): full jitter over the exponential cap,
 * raised to the server's retry-after when it asked for more (pure).
 */
export function backoffDelay(attempt: number, retryAfterMs: number | undefined, opts: Required<RetryOptions>, random: () => number): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor(random() * cap);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jitter) : jitter;
}

/** Sleep that rejects with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Result of `Scheduler.call`: the value and how many retries it took. */
export interface CallResult<T> {
  value: T;
  retries: number;
}

/** A ProviderError that exhausted its attempts keeps the retry count for the case result. */
export class RetriesExhausted extends Error {
  constructor(
    readonly last: ProviderError,
    readonly retries: number,
  ) {
    super(last.message, { cause: last });
    this.name = 'RetriesExhausted';
  }
}

/** Case-level concurrency plus the per-call retry loop; one per run, shared by all cases. */
export class Scheduler {
  private readonly limit: LimitFunction;
  private readonly retry: Required<RetryOptions>;
  private readonly maxConcurrency: number;
  private readonly minConcurrency: number;
  private readonly cooldown: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private lastDecrease = -Infinity;
  private successes = 0;
  /** Retries made, all calls. */
  totalRetries = 0;
  /** Times concurrency was halved. */
  decreases = 0;

  constructor(opts: SchedulerOptions = {}) {
    this.maxConcurrency = Math.max(1, opts.concurrency ?? 8);
    this.minConcurrency = Math.max(1, Math.min(opts.minConcurrency ?? 1, this.maxConcurrency));
    this.limit = pLimit(this.maxConcurrency);
    this.retry = { ...DEFAULT_RETRY, ...definedOnly(opts) };
    this.cooldown = opts.decreaseCooldownMs ?? 1000;
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? abortableSleep;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Current concurrency limit. */
  get concurrency(): number {
    return this.limit.concurrency;
  }

  /** Tasks running plus waiting for a slot. */
  get load(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  /** Runs `task` when a slot is free. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.limit(task);
  }

  /**
   * Calls `fn` until it succeeds, fails with a non-retryable ProviderError, runs out of
   * attempts (RetriesExhausted) or `signal` aborts (rethrows the abort reason, no retry).
   */
  async call<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<CallResult<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await fn(attempt);
        this.onSuccess();
        return { value, retries: attempt - 1 };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!(err instanceof ProviderError)) throw err;
        if (err.info.type === 'rate_limit') this.onRateLimit();
        const tooLong = err.info.retryAfterMs !== undefined && err.info.retryAfterMs > this.retry.maxRetryAfterMs;
        if (!err.info.retryable || attempt >= this.retry.maxAttempts || tooLong) {
          if (attempt === 1 && !err.info.retryable) throw err;
          throw new RetriesExhausted(err, attempt - 1);
        }
        this.totalRetries++;
        await this.sleep(backoffDelay(attempt, err.info.retryAfterMs, this.retry, this.random), signal);
      }
    }
  }

  private onRateLimit(): void {
    this.successes = 0;
    const t = this.now();
    if (t - this.lastDecrease < this.cooldown) return;
    this.lastDecrease = t;
    const next = Math.max(this.minConcurrency, Math.floor(this.limit.concurrency / 2));
    if (next < this.limit.concurrency) {
      this.limit.concurrency = next;
      this.decreases++;
    }
  }

  private onSuccess(): void {
    if (this.limit.concurrency >= this.maxConcurrency) return;
    // One step up per "window" of successes at the current level: slow, additive recovery.
    if (++this.successes >= this.limit.concurrency) {
      this.successes = 0;
      this.limit.concurrency = Math.min(this.maxConcurrency, this.limit.concurrency + 1);
    }
  }
}

function definedOnly(opts: RetryOptions): RetryOptions {
  const out: RetryOptions = {};
  if (opts.maxAttempts !== undefined) out.maxAttempts = Math.max(1, opts.maxAttempts);
  if (opts.baseDelayMs !== undefined) out.baseDelayMs = opts.baseDelayMs;
  if (opts.maxDelayMs !== undefined) out.maxDelayMs = opts.maxDelayMs;
  if (opts.maxRetryAfterMs !== undefined) out.maxRetryAfterMs = opts.maxRetryAfterMs;
  return out;
}
