/**
 * The one interface every trace source implements (OTLP files, Langfuse, LangSmith, Tempo…).
 * A source yields `RawTrace`s; `buildTrace` (traces/build.ts) applies the conventions and
 * turns each into a `Trace`. Sources that already know a span's step (LangSmith runs, the
 * Langfuse API) set `step` themselves and the builder keeps it.
 */
import type { Feedback, Json, RawSpan, Step, TraceOrigin } from '../model.js';

/** A span as a source yields it: raw, optionally with a step the source already knows. */
export type SourceSpan = RawSpan & { step?: Step; conventions?: string[] };

/** All spans of one trace plus trace-level facts the source knows directly. */
export interface RawTrace {
  traceId: string;
  origin: TraceOrigin;
  spans: SourceSpan[];
  name?: string;
  userId?: string;
  sessionId?: string;
  tags?: string[];
  feedback?: Feedback[];
  metadata?: Record<string, Json>;
}

/** Filters a source applies itself (server-side for APIs, while streaming for files). */
export interface TraceQuery {
  /** Only these trace ids (case-insensitive hex for OTLP). */
  traceIds?: string[];
  /** Only traces that started at or after this time. */
  since?: Date;
  /** Only traces that started before this time. */
  until?: Date;
  /** Only traces carrying all of these tags (sources that know tags server-side). */
  tags?: string[];
  /** Stop after this many traces. */
  limit?: number;
  /**
   * Hint: only traces with a numeric feedback score strictly below `value` (of one of `names`,
   * any name when absent). Sources that can filter by score server-side use it (Langfuse);
   * others ignore it, and the caller's flag rules still decide.
   */
  feedbackBelow?: { value: number; names?: string[] };
  /** Go on past malformed records; count them in `stats.skipped`. Default false: stop at the first. */
  skipInvalid?: boolean;
}

/** Counters a source fills while reading, for the user's summary line. */
export interface SourceStats {
  /** Records (lines, API pages) read. */
  records: number;
  /** Malformed records skipped under `skipInvalid`. */
  skipped: number;
  /** First few skip reasons, with file and line. */
  skipReasons: string[];
}

export interface TraceSource {
  /** Format id, e.g. `otlp-json`, `langfuse-api`. */
  readonly format: string;
  /**
   * Yields every trace that matches `query`, each fully assembled (all its spans, even when
   * split over many records). Memory stays bounded by the traces being yielded, not by the
   * size of the input. Malformed input throws an `InputError` naming the file and line,
   * unless `skipInvalid` is set.
   */
  traces(query?: TraceQuery): AsyncIterable<RawTrace>;
  /** Counters for the last `traces()` call. */
  readonly stats: SourceStats;
}

export function emptyStats(): SourceStats {
  return { records: 0, skipped: 0, skipReasons: [] };
}
