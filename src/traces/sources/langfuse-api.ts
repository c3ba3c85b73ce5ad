/**
 * Langfuse public API source: lists traces with server-side filters (`GET /api/public/traces`,
 * page-number pagination) and fetches each one whole (`GET /api/public/traces/{id}`:
 * observations and scores). Basic auth with the public key as user and the secret key as password.
 */
import { ConfigError } from '../../errors.js';
import { isJsonObj } from './messages.js';
import { fetchJson, isNotFound, type HttpJsonOptions } from './http-json.js';
import { langfuseToRawTrace } from './langfuse-map.js';
import { filterTraces, missingTracesError } from './query.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';
import type { Json } from '../model.js';

/** Connection and server-side filter options. */
export interface LangfuseApiOptions {
  /** e.g. `https://cloud.langfuse.com` (no trailing `/api`). */
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  /** Traces per list page. Default 50 (Langfuse caps it at 100). */
  pageSize?: number;
  /** Only traces of this user (server-side `userId`). */
  userId?: string;
  /** Only traces with this name (server-side `name`). */
  name?: string;
}

type JsonObj = { [key: string]: Json };

/** Reads traces from a Langfuse project through its public API. */
export class LangfuseApiSource implements TraceSource {
  readonly format = 'langfuse-api';
  private lastStats: SourceStats = emptyStats();
  private readonly base: string;

  constructor(private readonly opts: LangfuseApiOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  /** Counters of the last `traces()` call (records = API responses read). */
  get stats(): SourceStats {
    return this.lastStats;
  }

  private request<T>(path: string): Promise<T | { notFound: true }> {
    const auth = Buffer.from(`${this.opts.publicKey}:${this.opts.secretKey}`).toString('base64');
    const http: HttpJsonOptions = {
      service: 'Langfuse',
      headers: { authorization: `Basic ${auth}` },
      credentialsHint: 'LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY for this host',
    };
    this.lastStats.records++;
    return fetchJson<T>(`${this.base}${path}`, http);
  }

  private async fetchTrace(id: string): Promise<RawTrace | undefined> {
    let body = await this.request<JsonObj>(`/api/public/traces/${encodeURIComponent(id)}`);
    // Ids are case-sensitive in Langfuse but hex/UUID ids are stored lower-case: retry that way.
    if (isNotFound(body) && id !== id.toLowerCase()) body = await this.request<JsonObj>(`/api/public/traces/${encodeURIComponent(id.toLowerCase())}`);
    if (isNotFound(body)) return undefined;
    return langfuseToRawTrace(body, { format: this.format, location: this.base });
  }

  /** Yields traces oldest first; `since`/`until`/`tags` are sent to the server. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    this.lastStats = emptyStats();
    if (query.traceIds && query.traceIds.length > 0) {
      const found: RawTrace[] = [];
      const missing: string[] = [];
      for (const id of query.traceIds) {
        const t = await this.fetchTrace(id);
        if (t) found.push(t);
        else missing.push(id);
      }
      if (missing.length > 0) throw missingTracesError(missing, [this.base]);
      yield* filterTraces(found, { ...query, traceIds: undefined }, [this.base]);
      return;
    }
    if (query.feedbackBelow) {
      yield* this.tracesScoredBelow(query, query.feedbackBelow);
      return;
    }
    let yielded = 0;
    const pageSize = this.opts.pageSize ?? 50;
    for (let page = 1; ; page++) {
      const params = new URLSearchParams({ page: String(page), limit: String(pageSize), orderBy: 'timestamp.asc' });
      if (query.since) params.set('fromTimestamp', query.since.toISOString());
      if (query.until) params.set('toTimestamp', query.until.toISOString());
      for (const tag of query.tags ?? []) params.append('tags', tag);
      if (this.opts.userId) params.set('userId', this.opts.userId);
      if (this.opts.name) params.set('name', this.opts.name);
      const body = await this.request<JsonObj>(`/api/public/traces?${params}`);
      if (isNotFound(body)) {
        throw new ConfigError(`no Langfuse API at ${this.base} (GET /api/public/traces returned 404)`, { hint: 'check LANGFUSE_HOST' });
      }
      const data = Array.isArray(body.data) ? body.data.filter(isJsonObj) : [];
      for (const summary of data) {
        const t = await this.fetchTrace(String(summary.id));
        if (!t) continue; // deleted between list and fetch
        yield t;
        if (query.limit !== undefined && ++yielded >= query.limit) return;
      }
      const totalPages = isJsonObj(body.meta) && typeof body.meta.totalPages === 'number' ? body.meta.totalPages : page;
      if (page >= totalPages || data.length === 0) return;
    }
  }

  /**
   * Server-side selection by score: `GET /api/public/v2/scores` with `operator=<` and `value`
   * (per score name when given), then each distinct trace once, in the order first scored.
   */
  private async *tracesScoredBelow(query: TraceQuery, below: { value: number; names?: string[] }): AsyncGenerator<RawTrace> {
    const seen = new Set<string>();
    let yielded = 0;
    const pageSize = this.opts.pageSize ?? 50;
    for (const name of below.names && below.names.length > 0 ? below.names : [undefined]) {
      for (let page = 1; ; page++) {
        const params = new URLSearchParams({ page: String(page), limit: String(pageSize), operator: '<', value: String(below.value) });
        if (name !== undefined) params.set('name', name);
        if (query.since) params.set('fromTimestamp', query.since.toISOString());
        if (query.until) params.set('toTimestamp', query.until.toISOString());
        for (const tag of query.tags ?? []) params.append('traceTags', tag);
        if (this.opts.userId) params.set('userId', this.opts.userId);
        const body = await this.request<JsonObj>(`/api/public/v2/scores?${params}`);
        if (isNotFound(body)) throw new ConfigError(`no Langfuse scores API at ${this.base} (GET /api/public/v2/scores returned 404)`, { hint: 'check LANGFUSE_HOST' });
        const data = Array.isArray(body.data) ? body.data.filter(isJsonObj) : [];
        for (const score of data) {
          const id = typeof score.traceId === 'string' ? score.traceId : undefined;
          if (id === undefined || seen.has(id)) continue;
          seen.add(id);
          const t = await this.fetchTrace(id);
          if (!t) continue;
          yield t;
          if (query.limit !== undefined && ++yielded >= query.limit) return;
        }
        const totalPages = isJsonObj(body.meta) && typeof body.meta.totalPages === 'number' ? body.meta.totalPages : page;
        if (page >= totalPages || data.length === 0) break;
      }
    }
  }
}
