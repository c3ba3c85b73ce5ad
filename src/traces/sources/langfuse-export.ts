/**
 * Langfuse JSON exports: a single `{trace, observations}` (UI download), one
 * `TraceWithFullDetails`, an array of either, or JSONL with one per line. Each record holds a
 * whole trace, so records map one-to-one to traces through `IndexedRecordReader`.
 */
import type { TraceOrigin } from '../model.js';
import { IndexedRecordReader, type RecordCodec } from './indexed-jsonl.js';
import { langfuseToRawTrace } from './langfuse-map.js';
import { isJsonObj } from './messages.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';
import type { Json } from '../model.js';

function traceObj(v: unknown): { id: string; start?: number } {
  const rec = v as Json;
  if (!isJsonObj(rec)) throw Object.assign(new Error('record is not an object'), { expected: langfuseCodec.expected });
  const trace = isJsonObj(rec.trace) ? rec.trace : rec;
  if (typeof trace.id !== 'string' || trace.id === '') {
    throw Object.assign(new Error('trace id is missing'), { field: isJsonObj(rec.trace) ? 'trace.id' : 'id', expected: 'a string trace id' });
  }
  const t = typeof trace.timestamp === 'string' ? Date.parse(trace.timestamp) : NaN;
  return Number.isNaN(t) ? { id: trace.id } : { id: trace.id, start: t };
}

/** Maps Langfuse export records to traces. */
export const langfuseCodec: RecordCodec = {
  expected: 'a Langfuse trace export: {"trace":{…},"observations":[…]} or a TraceWithFullDetails object',
  index(value) {
    const { id, start } = traceObj(value);
    const rec = value as { [k: string]: Json };
    const obs = Array.isArray(rec.observations) ? rec.observations : isJsonObj(rec.trace) && Array.isArray(rec.trace.observations) ? rec.trace.observations : [];
    const obsStart = Math.min(...obs.filter(isJsonObj).map((o) => (typeof o.startTime === 'string' ? Date.parse(o.startTime) : Infinity)));
    return new Map([[id.toLowerCase(), start ?? (Number.isFinite(obsStart) ? obsStart : 0)]]);
  },
  assemble(ids: Set<string>, values: unknown[], origin: TraceOrigin): RawTrace[] {
    return values
      .filter((v) => ids.has(traceObj(v).id.toLowerCase()))
      .map((v) => langfuseToRawTrace(v as { [k: string]: Json }, origin));
  },
};

/** Reads Langfuse JSON/JSONL exports from one or more files. */
export class LangfuseExportSource implements TraceSource {
  readonly format = 'langfuse-export';
  private lastStats: SourceStats = emptyStats();

  constructor(private readonly files: string[]) {}

  /** Counters of the last `traces()` call. */
  get stats(): SourceStats {
    return this.lastStats;
  }

  /** Yields traces ordered by start time; `tags` is applied after reading. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    const reader = new IndexedRecordReader(this.files, langfuseCodec, this.format, query.skipInvalid ?? false);
    this.lastStats = reader.stats;
    const wantsTags = query.tags && query.tags.length > 0;
    let n = 0;
    for await (const t of reader.traces(wantsTags ? { ...query, limit: undefined } : query)) {
      if (wantsTags && !(query.tags ?? []).every((tag) => t.tags?.includes(tag))) continue;
      yield t;
      if (query.limit !== undefined && ++n >= query.limit) return;
    }
  }
}
