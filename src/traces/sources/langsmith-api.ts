/**
 * LangSmith API source: finds the project (`GET /api/v1/sessions?name=`), lists root runs with
 * a server-side filter (`POST /api/v1/runs/query`, cursor pagination), fetches every run of each
 * trace the same way, and its feedback (`GET /api/v1/feedback?run=…`). Auth: `x-api-key`.
 */
import { NotFoundError } from '../../errors.js';
import type { Json } from '../model.js';
import { fetchJson, isNotFound } from './http-json.js';
import { runsToRawTrace } from './langsmith-map.js';
import { isJsonObj } from './messages.js';
import { filterTraces, missingTracesError } from './query.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';

type JsonObj = { [key: string]: Json };

/** Connection options. */
export interface LangsmithApiOptions {
  /** e.g. `https://api.smith.langchain.com`. */
  endpoint: string;
  apiKey: string;
  /** Project (tracing session) name. */
  project: string;
  /** Runs per query page. Default 100. */
  pageSize?: number;
}

/** Builds the filter-language expression for the query's time window and tags. */
export function langsmithFilter(query: TraceQuery): string | undefined {
  const parts: string[] = [];
  if (query.since) parts.push(`gte(start_time, "${query.since.toISOString()}")`);
  if (query.until) parts.push(`lt(start_time, "${query.until.toISOString()}")`);
  for (const tag of query.tags ?? []) parts.push(`has(tags, ${JSON.stringify(tag)})`);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `and(${parts.join(', ')})`;
}

/** Reads traces of one LangSmith project through the API. */
export class LangsmithApiSource implements TraceSource {
  readonly format = 'langsmith-api';
  private lastStats: SourceStats = emptyStats();
  private readonly base: string;
  private projectId: string | undefined;

  constructor(private readonly opts: LangsmithApiOptions) {
    this.base = opts.endpoint.replace(/\/+$/, '');
  }

  /** Counters of the last `traces()` call (records = API responses read). */
  get stats(): SourceStats {
    return this.lastStats;
  }

  private async call<T>(path: string, body?: unknown): Promise<T | { notFound: true }> {
    this.lastStats.records++;
    return fetchJson<T>(`${this.base}${path}`, {
      service: 'LangSmith',
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'x-api-key': this.opts.apiKey },
      ...(body === undefined ? {} : { body }),
      credentialsHint: 'LANGSMITH_API_KEY (and LANGSMITH_ENDPOINT for self-hosted or EU)',
    });
  }

  private async project(): Promise<string> {
    if (this.projectId) return this.projectId;
    const res = await this.call<Json>(`/api/v1/sessions?name=${encodeURIComponent(this.opts.project)}`);
    const found = Array.isArray(res) ? res.filter(isJsonObj).find((s) => s.name === this.opts.project) : undefined;
    if (!found || typeof found.id !== 'string') {
      throw new NotFoundError(`LangSmith project not found: ${this.opts.project}`, { file: this.base, hint: 'check the name after langsmith://' });
    }
    this.projectId = found.id;
    return found.id;
  }

  /** Every page of a runs query. */
  private async *queryRuns(body: JsonObj): AsyncGenerator<JsonObj> {
    let cursor: string | undefined;
    do {
      const res = await this.call<JsonObj>('/api/v1/runs/query', { ...body, limit: this.opts.pageSize ?? 100, ...(cursor ? { cursor } : {}) });
      if (isNotFound(res)) throw new NotFoundError(`no LangSmith runs API at ${this.base}`, { hint: 'check LANGSMITH_ENDPOINT' });
      for (const r of Array.isArray(res.runs) ? res.runs.filter(isJsonObj) : []) yield r;
      const next = isJsonObj(res.cursors) ? res.cursors.next : undefined;
      cursor = typeof next === 'string' && next !== '' ? next : undefined;
    } while (cursor);
  }

  private async feedbackFor(runIds: string[]): Promise<JsonObj[]> {
    const out: JsonObj[] = [];
    for (let i = 0; i < runIds.length; i += 20) {
      const params = new URLSearchParams();
      for (const id of runIds.slice(i, i + 20)) params.append('run', id);
      const res = await this.call<Json>(`/api/v1/feedback?${params}`);
      if (Array.isArray(res)) out.push(...res.filter(isJsonObj));
    }
    return out;
  }

  private async fetchTrace(session: string, traceId: string): Promise<RawTrace | undefined> {
    const runs: JsonObj[] = [];
    for await (const r of this.queryRuns({ session: [session], trace: traceId })) runs.push(r);
    if (runs.length === 0) return undefined;
    const feedback = await this.feedbackFor(runs.map((r) => String(r.id)));
    return runsToRawTrace(traceId, runs, feedback, { format: this.format, location: `langsmith://${this.opts.project}` });
  }

  /** Yields traces; the time window and tags are filtered server-side on root runs. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    this.lastStats = emptyStats();
    const session = await this.project();
    const where = [`langsmith://${this.opts.project}`];
    if (query.traceIds && query.traceIds.length > 0) {
      const found: RawTrace[] = [];
      const missing: string[] = [];
      for (const id of query.traceIds) {
        const t = await this.fetchTrace(session, id.toLowerCase());
        if (t) found.push(t);
        else missing.push(id);
      }
      if (missing.length > 0) throw missingTracesError(missing, where);
      yield* filterTraces(found, { ...query, traceIds: undefined }, where);
      return;
    }
    const filter = langsmithFilter(query);
    let n = 0;
    for await (const root of this.queryRuns({ session: [session], is_root: true, ...(filter ? { filter } : {}) })) {
      const t = await this.fetchTrace(session, String(root.trace_id ?? root.id));
      if (!t) continue;
      yield t;
      if (query.limit !== undefined && ++n >= query.limit) return;
    }
  }
}
