/**
 * OTLP/JSON files: Collector file-exporter JSONL (one export request per line, traces split
 * over lines, many traces per line, logs and spans in separate files), a single (pretty-printed)
 * request, or a JSON array of requests. Reads with bounded memory through `IndexedRecordReader`.
 */
import type { RawSpan, TraceOrigin } from '../model.js';
import { assembleTraces } from '../otlp/assemble.js';
import { decodeRequest, type DecodedLog } from '../otlp/decode-request.js';
import { IndexedRecordReader, type RecordCodec } from './indexed-jsonl.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery, type TraceSource } from './source.js';

/** Maps OTLP export requests to traces; shared by the file source and in-memory decoding. */
export const otlpCodec: RecordCodec = {
  expected: 'an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans":[…]}) or ExportLogsServiceRequest ({"resourceLogs":[…]})',
  index(value) {
    const { spans, logs } = decodeRequest(value);
    const keys = new Map<string, number | undefined>();
    for (const s of spans) {
      const prev = keys.get(s.traceId);
      keys.set(s.traceId, prev === undefined ? s.startTimeMs : Math.min(prev, s.startTimeMs));
    }
    for (const l of logs) if (l.traceId && !keys.has(l.traceId)) keys.set(l.traceId, undefined);
    return keys;
  },
  assemble(ids: Set<string>, values: unknown[], origin: TraceOrigin): RawTrace[] {
    const spans: RawSpan[] = [];
    const logs: DecodedLog[] = [];
    for (const v of values) {
      const d = decodeRequest(v);
      for (const s of d.spans) if (ids.has(s.traceId)) spans.push(s);
      for (const l of d.logs) if (l.traceId && ids.has(l.traceId)) logs.push(l);
    }
    return assembleTraces(spans, logs, origin);
  },
};

/** Options of the OTLP file source. */
export interface OtlpFileOptions {
  /** Format id reported in `origin.format`. Default `otlp-json`. */
  format?: string;
}

/**
 * Reads OTLP/JSON traces (and joins OTLP/JSON logs) from one or more files. Every file given is
 * read; spans and log records of the same trace are joined across files.
 */
export class OtlpFileSource implements TraceSource {
  readonly format: string;
  private lastStats: SourceStats = emptyStats();

  constructor(
    private readonly files: string[],
    opts: OtlpFileOptions = {},
  ) {
    this.format = opts.format ?? 'otlp-json';
  }

  /** Counters of the last `traces()` call. */
  get stats(): SourceStats {
    return this.lastStats;
  }

  /** Yields traces ordered by start time; see `TraceQuery` for filters. */
  async *traces(query: TraceQuery = {}): AsyncGenerator<RawTrace> {
    const reader = new IndexedRecordReader(this.files, otlpCodec, this.format, query.skipInvalid ?? false);
    this.lastStats = reader.stats;
    yield* reader.traces(query);
  }
}
