/**
 * The batch phase of `evals run --batch`, before the first pass: collect the replay requests
 * (batch-collect.ts), submit them per provider in batches within the provider's limits, record
 * every batch id durably (batch-state.ts) before polling, poll with progress until every batch
 * has ended, then file the answers in a BatchBook the first pass takes them from. On
 * `--resume` the recorded batches are re-attached (polled and read again), and only requests
 * none of them covers are submitted.
 *
 * Failure policy: a request the provider answered with an error becomes that case's error (data,
 * not a crash). A request a batch never ran (the batch expired, was cancelled, failed
 * validation, or could not be submitted) gets no answer, so the first pass sends it live.
 */
import type { ResponseCache } from '../providers/cache.js';
import { chunkBatch, type BatchItemResult, type BatchRequest } from '../providers/batch.js';
import { ProviderError } from '../providers/provider.js';
import { BatchBook, customIdOf, keyPrefixOf } from './batch-book.js';
import { collectRequests, type CollectedRequest } from './batch-collect.js';
import { readBatchIds, readBatchState, writeBatchIds, writeBatchState, type BatchState, type RecordedBatch } from './batch-state.js';
import type { WorkUnit } from './run-case.js';
import type { RunPlan } from './run-plan.js';
import { abortableSleep } from './schedule.js';

/** What the batch phase did, for run.json and the terminal. */
export interface BatchSummary {
  /** Requests answered from batches (errors included). */
  answered: number;
  /** Of those, requests the provider answered with an error. */
  errored: number;
  /** Requests a batch never ran (expired, cancelled, failed, not submitted): sent live. */
  unfinished: number;
  /** Units that run live regardless: module/http pipelines, providers with no batch API. */
  live: number;
  /** Units whose request the cache answered. */
  cached: number;
  batches: Array<Pick<RecordedBatch, 'provider' | 'id' | 'requests' | 'status'>>;
}

export interface BatchPhaseDeps {
  plan: RunPlan;
  cache: ResponseCache | undefined;
  signal: AbortSignal;
  /** Poll interval, ms. */
  pollMs: number;
  log: (line: string) => void;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Runs the batch phase; returns the answers for the first pass. Stops early (resumable) when `signal` aborts. */
export async function runBatchPhase(units: Iterable<WorkUnit> | AsyncIterable<WorkUnit>, d: BatchPhaseDeps): Promise<{ book: BatchBook; summary: BatchSummary }> {
  const { plan, signal } = d;
  const collection = await collectRequests(units, plan, d.cache, signal);
  const state = await readBatchState(plan.runDir);
  // Custom ids: the key's prefix plus a counter for identical requests.
  const dups = new Map<string, number>();
  const withIds = collection.requests.map((r) => {
    const n = dups.get(r.key) ?? 0;
    dups.set(r.key, n + 1);
    return { ...r, customId: customIdOf(r.key, n) };
  });
  const covered = new Set<string>();
  const idsOf = new Map<RecordedBatch, string[]>();
  for (const b of state.batches) {
    const ids = await readBatchIds(plan.runDir, b);
    idsOf.set(b, ids);
    for (const id of ids) covered.add(id);
  }
  const fresh = withIds.filter((r) => !covered.has(r.customId));
  const summary: BatchSummary = { answered: 0, errored: 0, unfinished: 0, live: collection.live, cached: collection.cached, batches: [] };
  const resumed = state.batches.length;
  d.log(
    `batch: ${collection.requests.length} request(s) to batch${resumed ? ` (${withIds.length - fresh.length} in ${resumed} batch(es) already submitted)` : ''}, ${collection.cached} cached, ` +
      `${collection.live} live (module/http pipelines; tool rounds after the first call, judges and confirmation re-runs are live too)`,
  );
  if (!signal.aborted) await submitAll(fresh, state, d);
  await pollAll(state, d);
  const book = new BatchBook();
  if (signal.aborted) return { book, summary };
  const needed = new Map(withIds.map((r) => [keyPrefixOf(r.customId), r.key]));
  for (const b of state.batches) {
    summary.batches.push({ provider: b.provider, id: b.id, requests: b.requests, ...(b.status ? { status: b.status } : {}) });
    const api = plan.providers[b.provider]?.batch;
    if (!api || b.status === 'failed' || b.status === 'not found') continue;
    // A resumed run reads only the batches that still hold answers it needs.
    const ids = idsOf.get(b);
    if (ids && !ids.some((id) => needed.has(keyPrefixOf(id)))) continue;
    try {
      const items = await withRetries(d, async () => {
        const all: BatchItemResult[] = [];
        for await (const item of api.results(b.id, { signal })) all.push(item);
        return all;
      });
      for (const item of items) {
        const key = needed.get(keyPrefixOf(item.customId));
        if (key === undefined || item.kind === 'unfinished') continue;
        book.add(key, item.kind === 'succeeded' ? { kind: 'succeeded', response: item.response } : { kind: 'errored', error: item.error });
        summary.answered++;
        if (item.kind === 'errored') summary.errored++;
      }
    } catch (err) {
      if (signal.aborted) return { book, summary };
      d.log(`batch ${b.provider} ${b.id}: could not read the results (${(err as Error).message}); its requests are sent live`);
    }
  }
  summary.unfinished = Math.max(0, withIds.length - summary.answered);
  d.log(`batch: ${summary.answered} answer(s) (${summary.errored} errored); ${summary.unfinished} request(s) the batches did not run go live`);
  return { book, summary };
}

async function submitAll(fresh: Array<CollectedRequest & { customId: string }>, state: BatchState, d: BatchPhaseDeps): Promise<void> {
  const byProvider = new Map<string, BatchRequest[]>();
  for (const r of fresh) {
    const list = byProvider.get(r.provider) ?? [];
    list.push({ customId: r.customId, request: r.request });
    byProvider.set(r.provider, list);
  }
  for (const [name, requests] of byProvider) {
    const provider = d.plan.providers[name]!;
    const api = provider.batch!;
    for (const chunk of chunkBatch(requests, (r) => api.sizeOf(r), api.limits)) {
      if (d.signal.aborted) return;
      const idsFile = await writeBatchIds(d.plan.runDir, state.batches.length + 1, chunk.map((r) => r.customId));
      let id: string;
      try {
        id = await withRetries(d, () => api.submit(chunk, { signal: d.signal }));
      } catch (err) {
        if (d.signal.aborted) return;
        d.log(`batch ${name}: submitting ${chunk.length} request(s) failed (${(err as Error).message}); they are sent live`);
        continue;
      }
      state.batches.push({ provider: name, api: provider.api, id, requests: chunk.length, idsFile, submittedAt: new Date().toISOString() });
      // Durable before the first poll: a run killed from here on re-attaches instead of paying twice.
      await writeBatchState(d.plan.runDir, state);
      d.log(`batch ${name} ${id}: submitted ${chunk.length} request(s)`);
    }
  }
}

/** Polls every batch not seen ended until all have ended (or the run is interrupted). */
async function pollAll(state: BatchState, d: BatchPhaseDeps): Promise<void> {
  const now = d.now ?? Date.now;
  const sleep = d.sleep ?? abortableSleep;
  const start = now();
  let open = state.batches.filter((b) => b.endedAt === undefined);
  while (open.length > 0 && !d.signal.aborted) {
    for (const b of open) {
      const api = d.plan.providers[b.provider]?.batch;
      if (!api) {
        d.log(`batch ${b.provider} ${b.id}: the provider is no longer configured; its requests are sent live`);
        b.status = 'not found';
        b.endedAt = new Date().toISOString();
        continue;
      }
      try {
        const s = await api.status(b.id, { signal: d.signal });
        b.status = s.status;
        const c = s.counts;
        d.log(`batch ${b.provider} ${b.id}: ${s.status} ${c.succeeded + c.errored}/${c.total} done${c.errored ? ` (${c.errored} errored)` : ''} · ${elapsed(now() - start)}${s.failure ? ` · ${s.failure}` : ''}`);
        if (s.state === 'ended') b.endedAt = new Date().toISOString();
      } catch (err) {
        if (d.signal.aborted) return;
        // A network blip is retried at the next poll; a batch the provider no longer knows is given up.
        if (err instanceof ProviderError && err.info.retryable) d.log(`batch ${b.provider} ${b.id}: poll failed (${err.message}); retrying`);
        else {
          d.log(`batch ${b.provider} ${b.id}: ${(err as Error).message}; its requests are sent live`);
          b.status = 'not found';
          b.endedAt = new Date().toISOString();
        }
      }
    }
    const ended = open.filter((b) => b.endedAt !== undefined);
    if (ended.length > 0) await writeBatchState(d.plan.runDir, state);
    open = open.filter((b) => b.endedAt === undefined);
    if (open.length > 0) {
      try {
        await sleep(d.pollMs, d.signal);
      } catch {
        return;
      }
    }
  }
}

/** Up to 3 attempts (1 s, then 2 s apart) when the provider error is retryable (rate limit, 5xx, network). */
async function withRetries<T>(d: BatchPhaseDeps, fn: () => Promise<T>): Promise<T> {
  const sleep = d.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (d.signal.aborted || attempt >= 3 || !(err instanceof ProviderError) || !err.info.retryable) throw err;
      await sleep(Math.max(1000 * attempt, err.info.retryAfterMs ?? 0), d.signal);
    }
  }
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
