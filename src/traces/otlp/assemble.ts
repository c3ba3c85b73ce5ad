/**
 * Groups decoded spans and log records into one `RawTrace` per trace id, joining each log record
 * to its span. Pure, so the file source and the Tempo source share it.
 */
import type { RawSpan, TraceOrigin } from '../model.js';
import type { RawTrace } from '../sources/source.js';
import type { DecodedLog } from './decode-request.js';

/** Attribute set on a log record that named a span absent from its trace (it is moved to the root). */
export const UNMATCHED_SPAN_ATTR = 'evals.unmatched_span_id';

function byStart(a: RawSpan, b: RawSpan): number {
  return a.startTimeMs - b.startTimeMs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
}

/** The root span: no parent, or a parent outside the trace; earliest start wins. */
function rootOf(spans: RawSpan[]): RawSpan | undefined {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.find((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)) ?? spans[0];
}

/**
 * Builds one trace from all its spans and logs. Duplicate span ids (a span exported twice)
 * keep the last copy. Logs whose span is missing go to the root span, marked with
 * `evals.unmatched_span_id`; logs of a trace without spans are dropped (returns undefined).
 */
export function assembleTrace(traceId: string, spans: RawSpan[], logs: DecodedLog[], origin: TraceOrigin): RawTrace | undefined {
  const unique = new Map<string, RawSpan>();
  for (const s of spans) unique.set(s.spanId, { ...s, logs: [...s.logs] });
  const sorted = [...unique.values()].sort(byStart);
  if (sorted.length === 0) return undefined;
  const root = rootOf(sorted);
  for (const { spanId, log } of logs) {
    const span = spanId ? unique.get(spanId) : undefined;
    if (span) span.logs.push(log);
    else if (root) {
      root.logs.push(spanId ? { ...log, attributes: { ...log.attributes, [UNMATCHED_SPAN_ATTR]: spanId } } : log);
    }
  }
  for (const s of sorted) s.logs.sort((a, b) => a.timeMs - b.timeMs);
  const trace: RawTrace = { traceId, origin, spans: sorted };
  if (root?.name) trace.name = root.name;
  return trace;
}

/** Groups spans and logs of any number of traces; traces come out ordered by start time. */
export function assembleTraces(spans: RawSpan[], logs: DecodedLog[], origin: TraceOrigin): RawTrace[] {
  const spansBy = new Map<string, RawSpan[]>();
  for (const s of spans) {
    const arr = spansBy.get(s.traceId) ?? [];
    arr.push(s);
    spansBy.set(s.traceId, arr);
  }
  const logsBy = new Map<string, DecodedLog[]>();
  for (const l of logs) {
    if (!l.traceId) continue;
    const arr = logsBy.get(l.traceId) ?? [];
    arr.push(l);
    logsBy.set(l.traceId, arr);
  }
  const out: RawTrace[] = [];
  for (const [id, ss] of spansBy) {
    const t = assembleTrace(id, ss, logsBy.get(id) ?? [], origin);
    if (t) out.push(t);
  }
  return out.sort((a, b) => traceStartMs(a) - traceStartMs(b));
}

/** Earliest span start of a raw trace (Infinity when it has no spans). */
export function traceStartMs(t: RawTrace): number {
  return t.spans.reduce((m, s) => Math.min(m, s.startTimeMs), Infinity);
}
