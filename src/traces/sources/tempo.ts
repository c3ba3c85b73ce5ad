/**
 * Grafana Tempo source: trace by id (`GET /api/traces/<id>`, OTLP/JSON `{batches}` or
 * `{resourceSpans}`; `/api/v2/traces/<id>` wraps it in `{trace:{…}}`) decoded with the OTLP
 * decoder, and search (`GET /api/search?start&end&limit`) when no ids are given.
 */
import { InputError, RunError } from '../../errors.js';
import type { Json } from '../model.js';
import { assembleTraces } from '../otlp/assemble.js';
import { decodeTraceRequest } from '../otlp/decode-request.js';
import { fetchJson, isNotFound } from './http-json.js';
import { isJsonObj } from './messages.js';
import { filterTraces, missingTracesError } from './query.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';

type JsonObj = { [key: string]: Json };

/** Connection options. */
export interface TempoOptions {
  /** e.g. `http://tempo:3200`. */
  baseUrl: string;
  /** Extra headers (e.g. `authorization`, `x-scope-orgid` for multi-tenant Tempo). */
  headers?: Record<string, string>;
  /** Trace-by-id API: `v1` (`/api/traces`, `{batches}`) or `v2` (`/api/v2/traces`, `{trace}`). Default v1. */
  apiVersion?: 'v1' | 'v2';
  /** Traces asked from search when the query has no limit. Default 1000 (Tempo's own default is 20). */
  searchLimit?: number;
}

/** Tempo drops leading zeros of trace ids in search results; OTLP ids are 32 hex digits. */
export function padTraceId(id: string): string {
  const lower = id.toLowerCase();
  return /^[0-9a-f]{1,31}$/.test(lower) ? lower.padStart(32, '0') : lower;
}

/** Reads traces from a Tempo query frontend. */
export class TempoSource implements TraceSource {
  readonly format = 'tempo';
  private lastStats: SourceStats = emptyStats();
  private readonly base: string;

  constructor(private readonly opts: TempoOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  /** Counters of the last `traces()` call (records = API responses read). */
  get stats(): SourceStats {
    return this.lastStats;
  }

  private get(path: string): Promise<JsonObj | { notFound: true }> {
    this.lastStats.records++;
    return fetchJson<JsonObj>(`${this.base}${path}`, { service: 'Tempo', headers: this.opts.headers ?? {}, credentialsHint: 'the Tempo credentials' });
  }

  private async fetchTrace(id: string): Promise<RawTrace | undefined> {
    const prefix = this.opts.apiVersion === 'v2' ? '/api/v2/traces/' : '/api/traces/';
    const body = await this.get(`${prefix}${encodeURIComponent(id)}`);
    if (isNotFound(body)) return undefined;
    const doc = isJsonObj(body.trace) ? body.trace : body;
    let spans;
    try {
      spans = decodeTraceRequest(doc);
    } catch (err) {
      throw new RunError(`Tempo returned a trace that is not OTLP/JSON: ${(err as Error).message}`, { file: `${this.base}/api/traces/${id}`, cause: err });
    }
    const [trace] = assembleTraces(spans, [], { format: this.format, location: this.base });
    return trace;
  }

  /** Yields traces by id, or found by search over `[since, until)`. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    this.lastStats = emptyStats();
    if (query.tags && query.tags.length > 0) {
      throw new InputError('Tempo sources cannot filter by tags', { file: this.base, field: 'tags', expected: 'no tags', found: query.tags.join(', ') });
    }
    let ids = query.traceIds?.map(padTraceId);
    if (!ids || ids.length === 0) {
      const params = new URLSearchParams({ limit: String(query.limit ?? this.opts.searchLimit ?? 1000) });
      if (query.since) params.set('start', String(Math.floor(query.since.getTime() / 1000)));
      if (query.until) params.set('end', String(Math.ceil(query.until.getTime() / 1000)));
      const res = await this.get(`/api/search?${params}`);
      if (isNotFound(res)) throw new RunError(`no Tempo search API at ${this.base}`, { hint: 'check the tempo+http:// URL' });
      ids = (Array.isArray(res.traces) ? res.traces.filter(isJsonObj) : []).map((t) => padTraceId(String(t.traceID ?? '')));
    }
    const found: RawTrace[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const t = await this.fetchTrace(id);
      if (t) found.push(t);
      else missing.push(id);
    }
    if (query.traceIds && missing.length > 0) throw missingTracesError(missing, [this.base]);
    // Search windows are whole seconds and match any span; re-apply the exact window on trace start.
    yield* filterTraces(found, { ...query, traceIds: undefined }, [this.base]);
  }
}
