/**
 * Builders for OTLP/JSON test inputs, written the way the exporters write them (string
 * nanosecond times, hex ids, typed AnyValues). Test-only.
 */

/** A span description for the builders: times in epoch ms, attributes as plain values. */
export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs?: number;
  attributes?: Record<string, string | number | boolean>;
  error?: string;
}

/** Encodes a plain value as an OTLP AnyValue (integers as `intValue` strings, Go-style). */
export function anyValue(v: string | number | boolean): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** Encodes one span as OTLP/JSON. */
export function otlpSpan(s: SpanSpec): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? '',
    name: s.name,
    kind: 1,
    startTimeUnixNano: `${BigInt(Math.round(s.startMs)) * 1_000_000n}`,
    endTimeUnixNano: `${BigInt(Math.round(s.endMs ?? s.startMs + 10)) * 1_000_000n}`,
    attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
    status: s.error ? { code: 2, message: s.error } : {},
  };
}

/** One ExportTraceServiceRequest holding the given spans. */
export function traceRequest(spans: SpanSpec[], service = 'test-service'): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'test-scope', version: '0.1.0' }, spans: spans.map(otlpSpan) }],
      },
    ],
  };
}

/** One ExportLogsServiceRequest with one log record per entry. */
export function logsRequest(records: Array<{ traceId: string; spanId: string; name: string; timeMs: number; body: string }>): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [] },
        scopeLogs: [
          {
            scope: { name: 'test-scope' },
            logRecords: records.map((r) => ({
              timeUnixNano: `${BigInt(r.timeMs) * 1_000_000n}`,
              traceId: r.traceId,
              spanId: r.spanId,
              eventName: r.name,
              body: { stringValue: r.body },
            })),
          },
        ],
      },
    ],
  };
}
