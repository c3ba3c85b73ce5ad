/**
 * Decodes whole OTLP/JSON export requests (`ExportTraceServiceRequest`, `ExportLogsServiceRequest`)
 * into raw spans and log records. Pure: callers attach file and line to the errors thrown here.
 */
import type { Attributes, RawSpan, SpanEvent, SpanLog } from '../model.js';
import { decodeAnyValue, decodeKeyValues, nanosToMs, normalizeId, spanKindName, statusCodeName } from './any-value.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Thrown when a request does not have the OTLP shape; `field` is the dotted path of the problem. */
export class OtlpShapeError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(message);
    this.name = 'OtlpShapeError';
  }
}

/** A log record with the ids it carries, before it is joined to a span. */
export interface DecodedLog {
  traceId?: string;
  spanId?: string;
  log: SpanLog;
}

/** What one request (one JSONL line, one document) decodes to. */
export interface DecodedRequest {
  spans: RawSpan[];
  logs: DecodedLog[];
}

function list(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(`${field} is not an array`, field, 'an array');
  return v;
}

function scopeOf(v: unknown): RawSpan['scope'] {
  if (!isObj(v) || typeof v.name !== 'string') return undefined;
  return typeof v.version === 'string' && v.version !== '' ? { name: v.name, version: v.version } : { name: v.name };
}

function decodeSpan(s: unknown, field: string, resource: Attributes, scope: RawSpan['scope']): RawSpan {
  if (!isObj(s)) throw new OtlpShapeError(`${field} is not an object`, field, 'a span object');
  const traceId = normalizeId(s.traceId);
  const spanId = normalizeId(s.spanId);
  if (!traceId) throw new OtlpShapeError(`${field}.traceId is missing`, `${field}.traceId`, '32 hex digits');
  if (!spanId) throw new OtlpShapeError(`${field}.spanId is missing`, `${field}.spanId`, '16 hex digits');
  const start = nanosToMs(s.startTimeUnixNano);
  if (start === undefined) {
    throw new OtlpShapeError(`${field}.startTimeUnixNano is missing or not an integer`, `${field}.startTimeUnixNano`, 'Unix nanoseconds as a decimal string or number');
  }
  const end = nanosToMs(s.endTimeUnixNano) ?? start;
  const status = isObj(s.status) ? s.status : {};
  const events: SpanEvent[] = list(s.events, `${field}.events`).filter(isObj).map((e) => ({
    name: typeof e.name === 'string' ? e.name : '',
    timeMs: nanosToMs(e.timeUnixNano) ?? start,
    attributes: decodeKeyValues(e.attributes),
  }));
  const span: RawSpan = {
    traceId,
    spanId,
    name: typeof s.name === 'string' ? s.name : '',
    startTimeMs: start,
    endTimeMs: end,
    status: typeof status.message === 'string' && status.message !== ''
      ? { code: statusCodeName(status.code), message: status.message }
      : { code: statusCodeName(status.code) },
    attributes: decodeKeyValues(s.attributes),
    events,
    logs: [],
    resource,
  };
  const parent = normalizeId(s.parentSpanId);
  if (parent) span.parentSpanId = parent;
  const kind = spanKindName(s.kind);
  if (kind) span.kind = kind;
  if (scope) span.scope = scope;
  return span;
}

/**
 * Decodes an `ExportTraceServiceRequest` (`resourceSpans`, or Tempo's `batches`; `scopeSpans` or
 * the older `instrumentationLibrarySpans`). Resource attributes and scope are copied onto each span.
 */
export function decodeTraceRequest(req: unknown): RawSpan[] {
  if (!isObj(req)) throw new OtlpShapeError('request is not an object', '', 'an ExportTraceServiceRequest object');
  const key = 'resourceSpans' in req ? 'resourceSpans' : 'batches';
  const spans: RawSpan[] = [];
  list(req[key], key).forEach((rs, i) => {
    if (!isObj(rs)) throw new OtlpShapeError(`${key}[${i}] is not an object`, `${key}[${i}]`, 'a ResourceSpans object');
    const resource = decodeKeyValues(isObj(rs.resource) ? rs.resource.attributes : undefined);
    const scopeKey = 'scopeSpans' in rs ? 'scopeSpans' : 'instrumentationLibrarySpans';
    list(rs[scopeKey], `${key}[${i}].${scopeKey}`).forEach((ss, j) => {
      if (!isObj(ss)) return;
      const scope = scopeOf(ss.scope ?? ss.instrumentationLibrary);
      const base = `${key}[${i}].${scopeKey}[${j}].spans`;
      list(ss.spans, base).forEach((s, k) => spans.push(decodeSpan(s, `${base}[${k}]`, resource, scope)));
    });
  });
  return spans;
}

function decodeLog(r: Obj): DecodedLog {
  const attributes = decodeKeyValues(r.attributes);
  const eventName = typeof r.eventName === 'string' && r.eventName !== '' ? r.eventName : attributes['event.name'];
  const log: SpanLog = {
    name: typeof eventName === 'string' ? eventName : '',
    timeMs: nanosToMs(r.timeUnixNano) ?? nanosToMs(r.observedTimeUnixNano) ?? 0,
    attributes,
    body: decodeAnyValue(r.body),
  };
  const out: DecodedLog = { log };
  const traceId = normalizeId(r.traceId);
  const spanId = normalizeId(r.spanId);
  if (traceId) out.traceId = traceId;
  if (spanId) out.spanId = spanId;
  return out;
}

/** Decodes an `ExportLogsServiceRequest` into log records with their trace and span ids. */
export function decodeLogsRequest(req: unknown): DecodedLog[] {
  if (!isObj(req)) throw new OtlpShapeError('request is not an object', '', 'an ExportLogsServiceRequest object');
  const logs: DecodedLog[] = [];
  list(req.resourceLogs, 'resourceLogs').forEach((rl, i) => {
    if (!isObj(rl)) return;
    const scopeKey = 'scopeLogs' in rl ? 'scopeLogs' : 'instrumentationLibraryLogs';
    list(rl[scopeKey], `resourceLogs[${i}].${scopeKey}`).forEach((sl, j) => {
      if (!isObj(sl)) return;
      list(sl.logRecords, `resourceLogs[${i}].${scopeKey}[${j}].logRecords`).forEach((r) => {
        if (isObj(r)) logs.push(decodeLog(r));
      });
    });
  });
  return logs;
}

/** True when the object looks like an OTLP trace request (or a Tempo response body). */
export function isTraceRequest(v: unknown): boolean {
  return isObj(v) && (Array.isArray(v.resourceSpans) || Array.isArray(v.batches));
}

/** True when the object looks like an OTLP logs request. */
export function isLogsRequest(v: unknown): boolean {
  return isObj(v) && Array.isArray(v.resourceLogs);
}

/**
 * Decodes either kind of request. Anything else throws `OtlpShapeError` naming what was expected.
 */
export function decodeRequest(req: unknown): DecodedRequest {
  if (isTraceRequest(req)) return { spans: decodeTraceRequest(req), logs: [] };
  if (isLogsRequest(req)) return { spans: [], logs: decodeLogsRequest(req) };
  if (isObj(req) && Object.keys(req).length === 0) return { spans: [], logs: [] };
  throw new OtlpShapeError('not an OTLP export request', '', 'an object with "resourceSpans" or "resourceLogs"');
}
