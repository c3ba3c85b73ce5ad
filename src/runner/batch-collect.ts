/**
 * The collection pass of `--batch`: runs each replay unit's pipeline against a provider that
 * records the first request instead of sending it, so the batch holds exactly the request a
 * live run would send (same routing, prompt overrides, parameters and cache key). Requests the
 * cache already answers are left to it. Module and http pipelines run user code with side
 * effects, so they are never run twice: their calls stay live, as do tool rounds after a
 * replay's first call and judges.
 */
import { cacheKey, type ResponseCache } from '../providers/cache.js';
import type { LlmRequest, Provider } from '../providers/provider.js';
import type { PipelineContext } from '../pipelines/pipeline.js';
import type { WorkUnit } from './run-case.js';
import type { RunPlan } from './run-plan.js';

/** One request to send through a provider batch. */
export interface CollectedRequest {
  /** Config name of the provider it goes to. */
  provider: string;
  /** Its cache key (API, base URL, request, repeat). */
  key: string;
  request: LlmRequest;
}

/** What the collection found. */
export interface Collection {
  requests: CollectedRequest[];
  /** Units whose first request the cache answers. */
  cached: number;
  /** Units that run live: module/http pipelines, providers with no batch API. */
  live: number;
}

/** Thrown by the recording provider to stop the pipeline at its first call. */
class Captured extends Error {}

/** Collects the first model request of every replay unit. */
export async function collectRequests(units: Iterable<WorkUnit> | AsyncIterable<WorkUnit>, plan: RunPlan, cache: ResponseCache | undefined, signal: AbortSignal): Promise<Collection> {
  const out: Collection = { requests: [], cached: 0, live: 0 };
  // Units come with their cases read one by one (run.ts): only the requests are kept.
  for await (const unit of units) {
    if (signal.aborted) break;
    if (unit.variant.pipeline.kind !== 'replay') {
      out.live++;
      continue;
    }
    let captured: { provider: string; inner: Provider; request: LlmRequest } | undefined;
    const ctx: PipelineContext = {
      provider(name?: string): Provider {
        const key = name ?? unit.variant.overrides.provider ?? unit.variant.provider;
        const inner = plan.providers[key];
        if (!inner) throw new Error(`no provider named "${key}"`);
        return {
          name: inner.name,
          api: inner.api,
          complete(request: LlmRequest): Promise<never> {
            captured = { provider: key, inner, request };
            throw new Captured();
          },
        };
      },
      providers: { configured: Object.entries(plan.providers).map(([name, p]) => ({ name, api: p.api })), variantDefault: unit.variant.provider },
      variant: { name: unit.variant.name, overrides: unit.variant.overrides, options: unit.variant.options },
      repeat: unit.repeat,
      signal,
      recordStep() {},
    };
    try {
      await unit.variant.pipeline.run(unit.case, ctx);
    } catch {
      // Captured, or a case that cannot be replayed: the live pass records its error.
    }
    if (!captured) continue;
    const { inner, request } = captured;
    const key = cacheKey(inner.api, inner.baseUrl, request, unit.repeat);
    if (cache?.get(key)) out.cached++;
    else if (!inner.batch) out.live++;
    else out.requests.push({ provider: captured.provider, key, request });
  }
  return out;
}
