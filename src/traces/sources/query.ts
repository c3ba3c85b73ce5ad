/**
 * Small pure helpers every source uses to honour a `TraceQuery` the same way.
 */
import { NotFoundError } from '../../errors.js';
import { traceStartMs } from '../otlp/assemble.js';
import type { RawTrace, TraceQuery } from './source.js';

/** Trace ids of the query, lower-cased for case-insensitive matching; undefined when unset. */
export function wantedIds(query: TraceQuery): Set<string> | undefined {
  return query.traceIds && query.traceIds.length > 0 ? new Set(query.traceIds.map((id) => id.toLowerCase())) : undefined;
}

/** True when a trace that started at `startMs` falls in `[since, until)`. */
export function inWindow(startMs: number, query: TraceQuery): boolean {
  if (query.since && startMs < query.since.getTime()) return false;
  if (query.until && startMs >= query.until.getTime()) return false;
  return true;
}

/** True when `tags` holds every tag the query asks for. */
export function hasTags(tags: readonly string[] | undefined, query: TraceQuery): boolean {
  if (!query.tags || query.tags.length === 0) return true;
  const have = new Set(tags ?? []);
  return query.tags.every((t) => have.has(t));
}

/** The error for trace ids that were asked for and not found in `where` (files or a URL). */
export function missingTracesError(missing: string[], where: string[]): NotFoundError {
  const s = missing.length === 1 ? '' : 's';
  return new NotFoundError(`trace id${s} not found: ${missing.join(', ')}`, {
    file: where.join(', '),
    hint: 'check the id (hex, any case) and that the input covers the time range of the trace',
  });
}

/**
 * Applies a query to traces already in memory (small exports, API responses): ids, time window,
 * tags, then limit; throws NotFoundError when asked-for ids are missing. Output is ordered by start.
 */
export function filterTraces(traces: RawTrace[], query: TraceQuery, where: string[]): RawTrace[] {
  const ids = wantedIds(query);
  const kept = traces
    .filter((t) => !ids || ids.has(t.traceId.toLowerCase()))
    .filter((t) => inWindow(traceStartMs(t), query) && hasTags(t.tags, query))
    .sort((a, b) => traceStartMs(a) - traceStartMs(b));
  if (ids) {
    const found = new Set(traces.map((t) => t.traceId.toLowerCase()));
    const missing = [...ids].filter((id) => !found.has(id));
    if (missing.length > 0) throw missingTracesError(missing, where);
  }
  return query.limit !== undefined ? kept.slice(0, query.limit) : kept;
}
