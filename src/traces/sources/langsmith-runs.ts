/**
 * LangSmith runs dumped as JSONL (one run per line, as `client.listRuns` yields them; a JSON
 * array works too). Lines holding feedback (`{key, run_id, trace_id?, score…}`) are joined to
 * their trace (by `trace_id`, else by `run_id` when it is the root run). Runs of one trace may be anywhere in the file: `IndexedRecordReader` handles that.
 */
import type { Json, TraceOrigin } from '../model.js';
import { IndexedRecordReader, type RecordCodec } from './indexed-jsonl.js';
import { langsmithTimeMs, runsToRawTrace } from './langsmith-map.js';
import { isJsonObj } from './messages.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';

type JsonObj = { [key: string]: Json };

function shapeError(message: string, field: string, expected: string): Error {
  return Object.assign(new Error(message), { field, expected });
}

function isFeedback(v: JsonObj): boolean {
  return typeof v.key === 'string' && typeof v.run_id === 'string' && v.run_type === undefined;
}

/**
 * The trace a record belongs to. Feedback without `trace_id` (a `listFeedback` dump) is placed
 * by its `run_id`, which is the trace id when the feedback is on the root run; feedback on a
 * child run needs the run-to-trace map, so pass such dumps with `--feedback` (feedback-join.ts).
 */
function traceIdOf(v: JsonObj): string | undefined {
  const id = v.trace_id ?? (isFeedback(v) ? v.run_id : v.id);
  return typeof id === 'string' && id !== '' ? id.toLowerCase() : undefined;
}

/** Maps LangSmith run and feedback records to traces. */
export const langsmithCodec: RecordCodec = {
  expected: 'a LangSmith run object ({"id","trace_id","run_type","start_time",…}) or a feedback object ({"key","run_id","trace_id",…})',
  index(value) {
    if (!isJsonObj(value as Json)) throw shapeError('record is not an object', '', langsmithCodec.expected);
    const v = value as JsonObj;
    const traceId = traceIdOf(v);
    if (isFeedback(v)) return new Map(traceId ? [[traceId, undefined]] : []);
    if (!traceId || typeof v.id !== 'string') throw shapeError('run id is missing', 'id', 'a run UUID string');
    const start = langsmithTimeMs(v.start_time);
    if (start === undefined) throw shapeError('start_time is missing or not a time', 'start_time', 'an ISO-8601 time or epoch milliseconds');
    return new Map([[traceId, start]]);
  },
  assemble(ids: Set<string>, values: unknown[], origin: TraceOrigin): RawTrace[] {
    const runs = new Map<string, JsonObj[]>();
    const feedback = new Map<string, JsonObj[]>();
    for (const value of values) {
      const v = value as JsonObj;
      const id = traceIdOf(v);
      if (!id || !ids.has(id)) continue;
      const target = isFeedback(v) ? feedback : runs;
      target.set(id, [...(target.get(id) ?? []), v]);
    }
    return [...runs.entries()].map(([id, rs]) => runsToRawTrace(id, rs, feedback.get(id) ?? [], origin));
  },
};

/** Reads LangSmith run dumps from one or more files. */
export class LangsmithRunsSource implements TraceSource {
  readonly format = 'langsmith-runs';
  private lastStats: SourceStats = emptyStats();

  constructor(private readonly files: string[]) {}

  /** Counters of the last `traces()` call. */
  get stats(): SourceStats {
    return this.lastStats;
  }

  /** Yields traces ordered by start time; `tags` (root run tags) is applied after reading. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    const reader = new IndexedRecordReader(this.files, langsmithCodec, this.format, query.skipInvalid ?? false);
    this.lastStats = reader.stats;
    const wantsTags = query.tags !== undefined && query.tags.length > 0;
    let n = 0;
    for await (const t of reader.traces(wantsTags ? { ...query, limit: undefined } : query)) {
      if (wantsTags && !(query.tags ?? []).every((tag) => t.tags?.includes(tag))) continue;
      yield t;
      if (query.limit !== undefined && ++n >= query.limit) return;
    }
  }
}
