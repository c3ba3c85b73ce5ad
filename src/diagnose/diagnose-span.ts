/**
 * Small span facts shared by the diagnosis rules: how a finding is made, whether and why a span
 * failed, how long it took, and how text is quoted in a reason. Internal to `diagnose`.
 */
import type { Diagnosis, DiagnosisLabel } from '../datasets/case.js';
import type { Json, Span, Trace } from '../traces/model.js';

/** Builds one finding for `span`. */
export function finding(span: Span, label: DiagnosisLabel, reason: string): Diagnosis {
  return { label, spanId: span.spanId, spanName: span.name, reason };
}

/** True when the span's status or its typed view says it failed. */
export function isErrored(span: Span): boolean {
  return span.status.code === 'error' || stepError(span) !== undefined;
}

/** The typed view's error, when the step kind carries one. */
export function stepError(span: Span): { type?: string; message: string } | undefined {
  const step = span.step;
  if (step === undefined || step.type === 'prompt') return undefined;
  return step.error;
}

/**
 * Everything the span says about its failure, as `type: message`: the step error, the
 * `error.type` attribute, `exception` events and the status message, first one found wins per part.
 */
export function errorSummary(span: Span): { type?: string; message?: string } {
  const err = stepError(span);
  const exception = span.events.find((e) => e.name === 'exception');
  const type =
    err?.type ??
    stringAttr(span.attributes['error.type']) ??
    stringAttr(exception?.attributes['exception.type']);
  const message =
    err?.message ?? stringAttr(exception?.attributes['exception.message']) ?? nonEmpty(span.status.message);
  const out: { type?: string; message?: string } = {};
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  return out;
}

/** `RateLimitError: slow down`, or whichever half is known, or `no error detail recorded`. */
export function describeError(span: Span): string {
  const { type, message } = errorSummary(span);
  if (type !== undefined && message !== undefined) return `${type}: ${clip(message, 160)}`;
  return type ?? (message !== undefined ? clip(message, 160) : 'no error detail recorded');
}

/** Span duration in milliseconds, never negative. */
export function durationMs(span: Span): number {
  return Math.max(0, span.endTimeMs - span.startTimeMs);
}

/** All spans below `spanId` (children, grandchildren…). */
export function descendantsOf(trace: Trace, spanId: string): Span[] {
  const byParent = new Map<string, Span[]>();
  for (const s of trace.spans) {
    if (s.parentSpanId === undefined) continue;
    const list = byParent.get(s.parentSpanId) ?? [];
    list.push(s);
    byParent.set(s.parentSpanId, list);
  }
  const out: Span[] = [];
  const seen = new Set<string>([spanId]);
  const queue = [...(byParent.get(spanId) ?? [])];
  while (queue.length > 0) {
    const s = queue.shift() as Span;
    if (seen.has(s.spanId)) continue; // guards against a malformed parent cycle
    seen.add(s.spanId);
    out.push(s);
    queue.push(...(byParent.get(s.spanId) ?? []));
  }
  return out;
}

/** Seconds with one decimal for reasons: `12.3 s`; milliseconds below one second. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Collapses whitespace and cuts at `max` characters with an ellipsis. */
export function clip(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Text of a JSON value for scanning: strings as they are, objects as their string leaves joined by newlines. */
export function textOf(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const parts: string[] = [];
  const values = Array.isArray(value) ? value : Object.values(value);
  for (const v of values) {
    const t = textOf(v);
    if (t !== '') parts.push(t);
  }
  return parts.join('\n');
}

function stringAttr(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
