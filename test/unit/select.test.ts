import { describe, expect, it } from 'vitest';
import { flagReasons, inTimeWindow, parseDuration, parseTimeBound, selectTraces } from '../../src/traces/select.js';
import { UsageError } from '../../src/errors.js';
import type { Feedback, Span, Trace } from '../../src/traces/model.js';

function trace(p: Partial<Trace> = {}, attributes: Span['attributes'] = {}): Trace {
  const span: Span = {
    traceId: p.traceId ?? 't1',
    spanId: 's1',
    name: 'root',
    startTimeMs: p.startTimeMs ?? 0,
    endTimeMs: (p.startTimeMs ?? 0) + 10,
    status: { code: 'ok' },
    attributes,
    events: [],
    logs: [],
    resource: {},
    conventions: [],
  };
  return { traceId: 't1', origin: { format: 'test' }, spans: [span], startTimeMs: 0, endTimeMs: 10, status: 'ok', tags: [], feedback: [], metadata: {}, ...p };
}

const fb = (f: Partial<Feedback>): Trace => trace({ feedback: [{ name: 'user_feedback', ...f }] });

describe('flagReasons: feedback', () => {
  it('flags a score below the threshold and not one at or above it', () => {
    expect(flagReasons(fb({ score: 0 }))).toEqual(['feedback:user_feedback=0']);
    expect(flagReasons(fb({ score: 0.49 }))).toEqual(['feedback:user_feedback=0.49']);
    expect(flagReasons(fb({ score: 0.5 }))).toEqual([]);
    expect(flagReasons(fb({ score: 1 }))).toEqual([]);
    expect(flagReasons(fb({ score: 0.7 }), { feedback: { below: 0.8 } })).toEqual(['feedback:user_feedback=0.7']);
  });

  it('treats false and negative categories as negative, positive ones as not', () => {
    for (const value of ['thumbs_down', 'negative', 'bad', 'Thumbs_Down']) {
      expect(flagReasons(fb({ value }))).toEqual([`feedback:user_feedback=${value}`]);
    }
    expect(flagReasons(fb({ value: false, score: 0 }))).toEqual(['feedback:user_feedback=false']);
    expect(flagReasons(fb({ value: true, score: 1 }))).toEqual([]);
    expect(flagReasons(fb({ value: 'thumbs_up' }))).toEqual([]);
    expect(flagReasons(fb({ value: '0' }))).toEqual(['feedback:user_feedback=0']);
  });

  it('honours falseIsFlag, names and feedback: false', () => {
    expect(flagReasons(fb({ value: false, score: 0 }), { feedback: { falseIsFlag: false } })).toEqual([]);
    expect(flagReasons(fb({ value: 'bad' }), { feedback: { falseIsFlag: false } })).toEqual([]);
    expect(flagReasons(fb({ score: 0 }), { feedback: { names: ['thumbs'] } })).toEqual([]);
    expect(flagReasons(fb({ score: 0 }), { feedback: { names: ['USER_FEEDBACK'] } })).toEqual(['feedback:user_feedback=0']);
    expect(flagReasons(fb({ score: 0 }), { feedback: false })).toEqual([]);
  });
});

describe('flagReasons: tags, status, attributes', () => {
  it('flags listed tags only', () => {
    const t = trace({ tags: ['Escalated', 'vip'] });
    expect(flagReasons(t, { tags: ['escalated', 'refund'] })).toEqual(['tag:escalated']);
    expect(flagReasons(t)).toEqual([]);
  });

  it('flags error status only when asked: by default --flagged is what users flagged', () => {
    const t = trace({ status: 'error' });
    expect(flagReasons(t)).toEqual([]);
    expect(flagReasons(t, { error: true })).toEqual(['status:error']);
    expect(flagReasons(trace())).toEqual([]);
  });

  it('matches span attributes and trace metadata by equality, regex or presence', () => {
    const t = trace({ metadata: { release: 'v2.3.1', app: { tier: 'gold' } } }, { 'app.flag': true, 'app.route': '/refund/42' });
    expect(flagReasons(t, { attributes: [{ key: 'app.flag', equals: true }] })).toEqual(['attribute:app.flag=true']);
    expect(flagReasons(t, { attributes: [{ key: 'app.flag', equals: false }] })).toEqual([]);
    expect(flagReasons(t, { attributes: [{ key: 'app.route', matches: '^/refund/' }] })).toEqual(['attribute:app.route=/refund/42']);
    expect(flagReasons(t, { attributes: [{ key: 'app.route', matches: '^/orders' }] })).toEqual([]);
    expect(flagReasons(t, { attributes: [{ key: 'release', matches: '^v2\\.' }] })).toEqual(['attribute:release=v2.3.1']);
    expect(flagReasons(t, { attributes: [{ key: 'app.tier', equals: 'gold' }] })).toEqual(['attribute:app.tier=gold']);
    expect(flagReasons(t, { attributes: [{ key: 'app.missing' }] })).toEqual([]);
    const stringly = trace({}, { 'app.flag': 'true' });
    expect(flagReasons(stringly, { attributes: [{ key: 'app.flag', equals: true }] })).toEqual(['attribute:app.flag=true']);
  });

  it('rejects an invalid regular expression naming the field', () => {
    expect(() => flagReasons(trace({}, { a: 'x' }), { attributes: [{ key: 'a', matches: '(' }] })).toThrow(UsageError);
    expect(() => flagReasons(trace({}, { a: 'x' }), { attributes: [{ key: 'a', matches: '(' }] })).toThrow(/attributes\[0\]\.matches/);
  });

  it('collects several reasons', () => {
    const t = trace({ status: 'error', tags: ['escalated'], feedback: [{ name: 'thumbs', value: 'thumbs_down' }] });
    expect(flagReasons(t, { tags: ['escalated'], error: true })).toEqual(['feedback:thumbs=thumbs_down', 'tag:escalated', 'status:error']);
    expect(flagReasons(t, { tags: ['escalated'] })).toEqual(['feedback:thumbs=thumbs_down', 'tag:escalated']);
  });
});

describe('selectTraces', () => {
  const day = 86_400_000;
  const traces = [0, 1, 2, 3].map((i) => trace({ traceId: `t${i}`, startTimeMs: i * day, status: i % 2 === 1 ? 'error' : 'ok' }));

  it('filters by time window, flags, and keeps the newest up to the limit', () => {
    expect(selectTraces(traces, { since: day, until: 3 * day }).map((s) => s.trace.traceId)).toEqual(['t2', 't1']);
    expect(selectTraces(traces, { rules: {} })).toEqual([]);
    expect(selectTraces(traces, { rules: { error: true } }).map((s) => [s.trace.traceId, s.reasons])).toEqual([
      ['t3', ['status:error']],
      ['t1', ['status:error']],
    ]);
    expect(selectTraces(traces, { limit: 2 }).map((s) => s.trace.traceId)).toEqual(['t3', 't2']);
    expect(inTimeWindow(traces[1] as Trace, new Date(day), new Date(day))).toBe(false);
  });
});

describe('parseDuration and parseTimeBound', () => {
  it('reads short and ISO 8601 durations', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('P7D')).toBe(7 * 86_400_000);
    expect(parseDuration('PT1H30M')).toBe(5_400_000);
    expect(parseDuration('P1W')).toBe(604_800_000);
  });

  it('rejects nonsense with a usage error', () => {
    for (const bad of ['', 'P', 'PT', '7 days', 'abc', '-1d']) expect(() => parseDuration(bad)).toThrow(UsageError);
  });

  it('turns durations into times before now and reads ISO dates', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(parseTimeBound('24h', now)).toBe(Date.parse('2026-11-26T12:00:00Z'));
    expect(parseTimeBound('2026-11-01', now)).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(parseTimeBound('2026-11-01T08:30:00Z', now)).toBe(Date.parse('2026-11-01T08:30:00Z'));
    expect(() => parseTimeBound('yesterday', now, '--until')).toThrow(/--until/);
  });
});
