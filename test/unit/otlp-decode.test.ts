import { describe, expect, it } from 'vitest';
import { decodeAnyValue, decodeKeyValues, nanosToMs, normalizeId, spanKindName, statusCodeName } from '../../src/traces/otlp/any-value.js';
import { assembleTraces, UNMATCHED_SPAN_ATTR } from '../../src/traces/otlp/assemble.js';
import { decodeLogsRequest, decodeRequest, decodeTraceRequest, OtlpShapeError } from '../../src/traces/otlp/decode-request.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

describe('decodeAnyValue', () => {
  it('decodes every AnyValue kind the exporters write', () => {
    expect(decodeAnyValue({ stringValue: 'x' })).toBe('x');
    expect(decodeAnyValue({ boolValue: false })).toBe(false);
    expect(decodeAnyValue({ intValue: 3 })).toBe(3);
    expect(decodeAnyValue({ intValue: '3' })).toBe(3);
    expect(decodeAnyValue({ intValue: '9223372036854775807' })).toBe('9223372036854775807');
    expect(decodeAnyValue({ doubleValue: 0.7071 })).toBe(0.7071);
    expect(decodeAnyValue({ bytesValue: Buffer.from('héllo').toString('base64') })).toBe('héllo');
    expect(decodeAnyValue({})).toBeNull();
    expect(decodeAnyValue({ arrayValue: { values: [{ intValue: 0 }, { doubleValue: 0.5 }, {}] } })).toEqual([0, 0.5, null]);
    expect(decodeAnyValue({ arrayValue: {} })).toEqual([]);
    expect(
      decodeAnyValue({
        kvlistValue: { values: [{ key: 'role', value: { stringValue: 'user' } }, { key: 'n', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } }] },
      }),
    ).toEqual({ role: 'user', n: { a: true } });
  });

  it('keeps JSON inside string attributes as a string', () => {
    const attrs = decodeKeyValues([{ key: 'gen_ai.input.messages', value: { stringValue: '[{"role":"user"}]' } }]);
    expect(attrs['gen_ai.input.messages']).toBe('[{"role":"user"}]');
  });
});

describe('ids, times and enums', () => {
  it('lower-cases hex ids and converts base64 ids', () => {
    expect(normalizeId(TRACE.toUpperCase())).toBe(TRACE);
    expect(normalizeId(Buffer.from(TRACE, 'hex').toString('base64'))).toBe(TRACE);
    expect(normalizeId(Buffer.from(SPAN, 'hex').toString('base64'))).toBe(SPAN);
    expect(normalizeId('')).toBeUndefined();
  });

  it('converts nanoseconds to ms without losing precision on strings', () => {
    expect(nanosToMs('1700000000123456789')).toBeCloseTo(1700000000123.456789, 5);
    expect(nanosToMs(1544712660300000000)).toBeCloseTo(1544712660300, 0);
    expect(nanosToMs('abc')).toBeUndefined();
  });

  it('names span kinds and status codes', () => {
    expect(spanKindName(3)).toBe('client');
    expect(spanKindName('SPAN_KIND_SERVER')).toBe('server');
    expect(spanKindName(0)).toBeUndefined();
    expect(statusCodeName(2)).toBe('error');
    expect(statusCodeName(1)).toBe('ok');
    expect(statusCodeName(undefined)).toBe('unset');
    expect(statusCodeName('STATUS_CODE_ERROR')).toBe('error');
  });
});

function request(spans: unknown[]): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rag' } }] },
        scopeSpans: [{ scope: { name: 'openai', version: '1.0' }, spans }],
      },
    ],
  };
}

describe('decodeTraceRequest', () => {
  it('decodes a span with resource and scope kept on it', () => {
    const [span] = decodeTraceRequest(
      request([
        {
          traceId: TRACE.toUpperCase(),
          spanId: SPAN,
          parentSpanId: '',
          name: 'chat',
          kind: 3,
          startTimeUnixNano: '1700000000000000000',
          endTimeUnixNano: 1700000001000000000,
          attributes: [{ key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } }],
          events: [{ name: 'exception', timeUnixNano: '1700000000500000000', attributes: [] }],
          status: { code: 2, message: 'boom' },
        },
      ]),
    );
    expect(span).toMatchObject({
      traceId: TRACE,
      spanId: SPAN,
      name: 'chat',
      kind: 'client',
      startTimeMs: 1700000000000,
      endTimeMs: 1700000001000,
      status: { code: 'error', message: 'boom' },
      attributes: { 'gen_ai.usage.input_tokens': 12 },
      resource: { 'service.name': 'rag' },
      scope: { name: 'openai', version: '1.0' },
      logs: [],
    });
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.events[0]).toEqual({ name: 'exception', timeMs: 1700000000500, attributes: {} });
  });

  it('accepts Tempo batches and rejects non-requests with the expected shape', () => {
    const body = { batches: [{ resource: {}, scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '1' }] }] }] };
    expect(decodeTraceRequest(body)).toHaveLength(1);
    expect(() => decodeRequest({ foo: 1 })).toThrow(OtlpShapeError);
    expect(() => decodeTraceRequest(request([{ spanId: SPAN, startTimeUnixNano: '1' }]))).toThrow(/traceId is missing/);
  });
});

describe('logs', () => {
  const logs = {
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: [
              { timeUnixNano: '1700000000200000000', traceId: TRACE, spanId: SPAN.toUpperCase(), eventName: 'gen_ai.choice', body: { kvlistValue: { values: [{ key: 'index', value: { intValue: 0 } }] } } },
              { timeUnixNano: '1700000000100000000', traceId: TRACE, spanId: 'ffffffffffffffff', attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }], body: { stringValue: 'hi' } },
            ],
          },
        ],
      },
    ],
  };

  it('names records from eventName or event.name and decodes bodies', () => {
    const decoded = decodeLogsRequest(logs);
    expect(decoded.map((d) => d.log.name)).toEqual(['gen_ai.choice', 'gen_ai.user.message']);
    expect(decoded[0]?.log.body).toEqual({ index: 0 });
    expect(decoded[0]?.spanId).toBe(SPAN);
  });

  it('joins logs to spans and puts unmatched ones on the root span', () => {
    const child = '1111111111111111';
    const spans = decodeTraceRequest(
      request([
        { traceId: TRACE, spanId: SPAN, parentSpanId: child, name: 'llm', startTimeUnixNano: '1700000000100000000' },
        { traceId: TRACE, spanId: child, name: 'root', startTimeUnixNano: '1700000000000000000' },
      ]),
    );
    const [trace] = assembleTraces(spans, decodeLogsRequest(logs), { format: 'otlp-json' });
    expect(trace?.name).toBe('root');
    expect(trace?.spans.map((s) => s.name)).toEqual(['root', 'llm']);
    expect(trace?.spans[1]?.logs.map((l) => l.name)).toEqual(['gen_ai.choice']);
    const rootLogs = trace?.spans[0]?.logs ?? [];
    expect(rootLogs).toHaveLength(1);
    expect(rootLogs[0]?.attributes[UNMATCHED_SPAN_ATTR]).toBe('ffffffffffffffff');
  });
});
