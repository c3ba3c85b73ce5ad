/**
 * Joins feedback dumps (feedback-dump.ts) to the traces a source yields, before `buildTrace`.
 * A record lands on a trace when its trace id equals the trace's id, or (LangSmith, no
 * `trace_id`) when its run id equals the id of one of the trace's spans: the root run or any
 * child run. Ids compare lower-cased and without dashes, so a LangSmith UUID also matches the
 * same id written as 32 hex digits. A record already present on the trace (same name, score,
 * value, comment and span, e.g. feedback lines inside a LangSmith runs dump) is not added twice.
 * Pure apart from the counters it keeps for the summary line.
 */
import type { Feedback } from './model.js';
import type { DumpedFeedback, FeedbackDump } from './feedback-dump.js';
import type { RawTrace } from './sources/source.js';

/** Joins dumps to traces; `attach` is called once per trace read. */
export interface FeedbackJoin {
  /** The trace with the dumps' feedback about it appended (the same object when there is none). */
  attach(raw: RawTrace): RawTrace;
  /** Records in the dumps, records joined so far, and records no trace can take (session scores). */
  counts(): { records: number; joined: number; skipped: number };
}

const norm = (id: string): string => id.toLowerCase().replace(/-/g, '');

function sameFeedback(a: Feedback, b: Feedback): boolean {
  return a.name === b.name && a.score === b.score && a.value === b.value && a.comment === b.comment && a.spanId === b.spanId;
}

function push(map: Map<string, DumpedFeedback[]>, key: string, entry: DumpedFeedback): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** Indexes `dumps` by trace id and run id. */
export function joinFeedback(dumps: readonly FeedbackDump[]): FeedbackJoin {
  const byTrace = new Map<string, DumpedFeedback[]>();
  const byRun = new Map<string, DumpedFeedback[]>();
  let records = 0;
  let skipped = 0;
  for (const dump of dumps) {
    skipped += dump.skipped;
    for (const entry of dump.entries) {
      records++;
      if (entry.traceId !== undefined) push(byTrace, norm(entry.traceId), entry);
      else if (entry.runId !== undefined) push(byRun, norm(entry.runId), entry);
    }
  }
  const joined = new Set<DumpedFeedback>();
  return {
    attach(raw) {
      if (records === 0) return raw;
      const found = [...(byTrace.get(norm(raw.traceId)) ?? [])];
      if (byRun.size > 0) for (const span of raw.spans) found.push(...(byRun.get(norm(span.spanId)) ?? []));
      if (found.length === 0) return raw;
      const feedback = [...(raw.feedback ?? [])];
      for (const entry of found) {
        joined.add(entry);
        if (!feedback.some((f) => sameFeedback(f, entry.feedback))) feedback.push(entry.feedback);
      }
      return { ...raw, feedback };
    },
    counts: () => ({ records, joined: joined.size, skipped }),
  };
}
