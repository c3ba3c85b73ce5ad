/**
 * The provider a pipeline sees through `ctx.provider()`: the real one behind the response
 * cache, the scheduler's retries, and per-case accounting of usage, cost, retries and hits.
 */
import { cacheKey, type ResponseCache } from '../providers/cache.js';
import { BATCH_PRICE_FACTOR, type CostTracker } from '../providers/pricing.js';
import { ProviderError, type CallOptions, type EmbedResponse, type LlmRequest, type LlmResponse, type Provider } from '../providers/provider.js';
import type { BatchBook } from './batch-book.js';
import type { Usage } from '../traces/model.js';
import { addUsage } from '../traces/usage.js';
import { RetriesExhausted, type Scheduler } from './schedule.js';
import { linkAbort } from './abort-links.js';

/** What one case's provider calls added up to. */
export interface CaseAccount {
  calls: number;
  cacheHits: number;
  retries: number;
  usage: Usage | undefined;
  /** Sum of known costs of live calls (hits are free). */
  costUsd: number;
  /** A live call's cost was unknown (model not priced), so `costUsd` is a lower bound. */
  costUnknown: boolean;
  /** Model of the last response. */
  model?: string;
  /** Calls answered by a provider batch (`--batch`), and what their batch price saved. */
  batchCalls?: number;
  batchSavedUsd?: number;
}

/** A fresh, empty account. */
export function newAccount(): CaseAccount {
  return { calls: 0, cacheHits: 0, retries: 0, usage: undefined, costUsd: 0, costUnknown: false };
}

/** What wrapping needs from the run. */
export interface WrapDeps {
  scheduler: Scheduler;
  cache: ResponseCache | undefined;
  costs: CostTracker;
  repeat: number;
  /** Per-request timeout, ms. */
  timeoutMs: number | undefined;
  /** The run's abort signal (SIGINT). */
  signal: AbortSignal;
  account: CaseAccount;
  /** Answers of the run's provider batches (`--batch`), taken before the cache and the network. */
  book?: BatchBook;
}

/** Wraps `inner` for one case. Errors reach the pipeline as the last ProviderError. */
export function wrapProvider(inner: Provider, deps: WrapDeps): Provider {
  const { account } = deps;
  return {
    name: inner.name,
    api: inner.api,
    ...(inner.baseUrl !== undefined ? { baseUrl: inner.baseUrl } : {}),
    async complete(req: LlmRequest, options: CallOptions = {}): Promise<LlmResponse> {
      account.calls++;
      const key = deps.cache || deps.book?.size ? cacheKey(inner.api, inner.baseUrl, req, deps.repeat) : undefined;
      const answer = key !== undefined ? deps.book?.take(key) : undefined;
      if (answer) return fromBatch(answer, key!, req, deps);
      const hit = key !== undefined ? deps.cache?.get(key) : undefined;
      if (hit) {
        account.cacheHits++;
        account.usage = addUsage(account.usage, hit.usage);
        if (hit.model !== undefined) account.model = hit.model;
        return hit;
      }
      const { value, retries } = await scheduled(deps, options, (o) => inner.complete(req, o));
      account.retries += retries;
      account.usage = addUsage(account.usage, value.usage);
      if (value.model !== undefined) account.model = value.model;
      const usd = deps.costs.add(value.model ?? req.model, value.usage);
      if (usd === undefined) account.costUnknown = true;
      else account.costUsd += usd;
      if (key !== undefined) deps.cache?.set(key, value);
      return value;
    },
    ...(inner.embed ? { embed: (texts: string[], model: string, options: CallOptions = {}) => embedCached(inner, deps, texts, model, options) } : {}),
  };
}

/** A batch's answer, accounted like a live call at the batch price, then cached. */
function fromBatch(answer: NonNullable<ReturnType<BatchBook['take']>>, key: string, req: LlmRequest, deps: WrapDeps): LlmResponse {
  const { account } = deps;
  if (answer.kind === 'errored') {
    const e = answer.error;
    throw new ProviderError(e.message, { type: (e.type ?? 'unknown') as ProviderError['info']['type'], retryable: false, ...(e.status !== undefined ? { status: e.status } : {}) });
  }
  const value = answer.response;
  account.batchCalls = (account.batchCalls ?? 0) + 1;
  account.usage = addUsage(account.usage, value.usage);
  if (value.model !== undefined) account.model = value.model;
  const usd = deps.costs.add(value.model ?? req.model, value.usage, { batch: true });
  if (usd === undefined) account.costUnknown = true;
  else {
    account.costUsd += usd;
    account.batchSavedUsd = (account.batchSavedUsd ?? 0) + usd / BATCH_PRICE_FACTOR - usd;
  }
  deps.cache?.set(key, value);
  return value;
}

/**
 * One embeddings call through the cache and the scheduler. Cached under its own key space
 * (`<api>:embeddings`, the texts as user messages) with the vectors as the entry's JSON
 * `content`, so the cache format is unchanged; every repeat shares it (embeddings are
 * deterministic). Counts as a call of the account, its usage and cost too.
 */
async function embedCached(inner: Provider, deps: WrapDeps, texts: string[], model: string, options: CallOptions): Promise<EmbedResponse> {
  const { account } = deps;
  const embed = inner.embed!.bind(inner);
  account.calls++;
  const req: LlmRequest = { model, messages: texts.map((t) => ({ role: 'user' as const, content: t })), params: {} };
  const key = deps.cache ? cacheKey(`${inner.api}:embeddings`, inner.baseUrl, req, 0) : undefined;
  const hit = key !== undefined ? deps.cache?.get(key) : undefined;
  if (hit && hit.content !== null) {
    account.cacheHits++;
    account.usage = addUsage(account.usage, hit.usage);
    return { vectors: JSON.parse(hit.content) as number[][], ...(hit.usage ? { usage: hit.usage } : {}), ...(hit.model ? { model: hit.model } : {}), latencyMs: hit.latencyMs };
  }
  const { value, retries } = await scheduled(deps, options, (o) => embed(texts, model, o));
  account.retries += retries;
  account.usage = addUsage(account.usage, value.usage);
  const usd = deps.costs.add(value.model ?? model, value.usage);
  if (usd === undefined) account.costUnknown = true;
  else account.costUsd += usd;
  if (key !== undefined) {
    deps.cache?.set(key, {
      content: JSON.stringify(value.vectors),
      toolCalls: [],
      ...(value.usage ? { usage: value.usage } : {}),
      ...(value.model ? { model: value.model } : {}),
      latencyMs: value.latencyMs,
    });
  }
  return value;
}

/** Runs `send` under the scheduler with a per-call child signal; errors reach the caller as the last ProviderError. */
async function scheduled<T>(deps: WrapDeps, options: CallOptions, send: (o: CallOptions) => Promise<T>): Promise<{ value: T; retries: number }> {
  // The SDKs add an abort listener to the signal they get and never remove it; handing them
  // the run-wide signal would pile up one closure per request for the whole run. A per-call
  // child signal, unlinked in `finally`, keeps memory flat.
  const child = new AbortController();
  const onAbort = (): void => child.abort(deps.signal.reason ?? options.signal?.reason);
  // Linked through one listener per parent (abort-links.ts): these signals outlive the call.
  const unlinkRun = linkAbort(deps.signal, onAbort);
  const unlinkCaller = options.signal ? linkAbort(options.signal, onAbort) : undefined;
  const signal = child.signal;
  const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
  try {
    return await deps.scheduler.call(() => send({ signal, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }), signal);
  } catch (err) {
    if (err instanceof RetriesExhausted) {
      deps.account.retries += err.retries;
      throw err.last;
    }
    throw err;
  } finally {
    unlinkRun();
    unlinkCaller?.();
  }
}
