/**
 * Feedback kept apart from the traces: LangSmith `listFeedback` dumps and Langfuse scores
 * pages parsed (feedback-dump.ts) and joined by trace or run id (feedback-join.ts), plus
 * OpenLLMetry `traceloop.custom_metric.*` span attributes read as feedback.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildTrace } from '../../src/traces/build.js';
import { parseFeedbackDump } from '../../src/traces/feedback-dump.js';
import { joinFeedback } from '../../src/traces/feedback-join.js';
import type { RawSpan } from '../../src/traces/model.js';
import { flagReasons } from '../../src/traces/select.js';
import type { RawTrace } from '../../src/traces/sources/source.js';

const root = '0190a1b2-0000-7000-8000-000000000001';
const child = '0190a1b2-0000-7000-8000-000000000002';

function span(spanId: string, parentSpanId?: string, attributes: RawSpan['attributes'] = {}): RawSpan {
  return {
    traceId: root, spanId, ...(parentSpanId ? { parentSpanId } : {}), name: spanId === root ? 'answer' : 'llm',
    startTimeMs: 0, endTimeMs: 1, status: { code: 'unset' }, attributes, events: [], logs: [], resource: {},
  };
}

const trace = (): RawTrace => ({ traceId: root, origin: { format: 'langsmith-runs' }, spans: [span(root), span(child, root)] });

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('LangSmith feedback dumps', () => {
  const jsonl = [
    { id: 'f1', run_id: child, key: 'user_score', score: 0, comment: 'wrong policy' },
    { id: 'f2', run_id: root, key: 'correctness', score: true, feedback_source: { type: 'model' } },
    { id: 'f3', run_id: 'ffffffff-0000-7000-8000-00000000ffff', key: 'user_score', score: 1 },
  ].map((r) => JSON.stringify(r)).join('\n');

  it('parses listFeedback JSONL and joins by run id, child run or root run', () => {
    const dump = parseFeedbackDump(jsonl, 'feedback.jsonl');
    expect(dump.format).toBe('langsmith-feedback');
    const join = joinFeedback([dump]);
    const t = buildTrace(join.attach(trace()));
    expect(t.feedback).toEqual([
      { name: 'correctness', score: 1, value: true, source: 'model', spanId: root },
      { name: 'user_score', score: 0, comment: 'wrong policy', source: 'langsmith', spanId: child },
    ]);
    expect(flagReasons(t)).toEqual(['feedback:user_score=0']);
    expect(join.counts()).toEqual({ records: 3, joined: 2, skipped: 0 });
  });

  it('joins by trace_id when present, whatever the id spelling, and never twice', () => {
    const hex = root.replace(/-/g, '').toUpperCase();
    const dump = parseFeedbackDump(JSON.stringify([{ run_id: 'x', trace_id: hex, key: 'thumbs', score: 0 }]), 'fb.json');
    const join = joinFeedback([dump, dump]);
    expect(join.attach(trace()).feedback).toEqual([{ name: 'thumbs', score: 0, source: 'langsmith', spanId: 'x' }]);
  });

  it('names the file, line and field of a bad record', () => {
    const e = inputError(() => parseFeedbackDump(`${JSON.stringify({ run_id: child, key: 'k', score: 1 })}\n{"run_id":"${child}","key":"k","score":"high"}\n`, 'fb.jsonl'));
    expect(e.details).toMatchObject({ file: 'fb.jsonl', line: 2, field: 'score', expected: 'a number, a boolean or null', found: '"high"' });
    expect(inputError(() => parseFeedbackDump('{"run_id":1}\nnot json', 'fb.jsonl')).details).toMatchObject({ line: 2, found: '"not json"' });
    expect(inputError(() => parseFeedbackDump('{"run_id":1}\n{"run_id":2}', 'fb.jsonl')).details).toMatchObject({ line: 1, found: '{"run_id":1}' });
    expect(inputError(() => parseFeedbackDump('[{"id":"run","run_type":"llm"}]', 'runs.json')).details).toMatchObject({ file: 'runs.json', field: '[0]' });
  });
});

describe('Langfuse scores dumps', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const page = {
    data: [
      { id: 's1', traceId, observationId: 'A1B2C3D4E5F60708', name: 'user_feedback', value: 0, dataType: 'NUMERIC', comment: 'outdated', source: 'API' },
      { id: 's2', traceId, name: 'sentiment', value: 0, stringValue: 'negative', dataType: 'CATEGORICAL', source: 'ANNOTATION' },
      { id: 's3', traceId, name: 'resolved', value: 1, dataType: 'BOOLEAN', source: 'EVAL' },
      { id: 's4', sessionId: 'sess-1', name: 'csat', value: 5, dataType: 'NUMERIC' },
    ],
    meta: { page: 1, limit: 50, totalItems: 4, totalPages: 1 },
  };
  const otlpTrace = (): RawTrace => ({ ...trace(), traceId, origin: { format: 'otlp-json' } });

  it('parses a scores page and joins by trace id; session scores are skipped and counted', () => {
    const dump = parseFeedbackDump(JSON.stringify(page, null, 2), 'scores.json');
    expect(dump).toMatchObject({ format: 'langfuse-scores', skipped: 1 });
    const join = joinFeedback([dump]);
    const t = buildTrace(join.attach(otlpTrace()));
    expect(t.feedback).toEqual([
      { name: 'user_feedback', score: 0, comment: 'outdated', source: 'api', spanId: 'a1b2c3d4e5f60708' },
      { name: 'sentiment', value: 'negative', source: 'annotation' },
      { name: 'resolved', score: 1, value: true, source: 'eval' },
    ]);
    expect(flagReasons(t)).toEqual(['feedback:user_feedback=0', 'feedback:sentiment=negative']);
    expect(join.counts()).toEqual({ records: 3, joined: 3, skipped: 1 });
  });

  it('accepts a plain array and an empty page; a score without a trace id is an error', () => {
    expect(parseFeedbackDump(JSON.stringify(page.data.slice(0, 1)), 'scores.json').entries).toHaveLength(1);
    expect(parseFeedbackDump('{"data":[],"meta":{}}', 'scores.json').entries).toEqual([]);
    const e = inputError(() => parseFeedbackDump(JSON.stringify({ data: [{ name: 'x', value: 1, dataType: 'NUMERIC' }] }), 's.json'));
    expect(e.details).toMatchObject({ file: 's.json', field: 'data[0].traceId' });
  });
});

describe('traceloop.custom_metric.<name>', () => {
  it('is feedback on the span that reported it', () => {
    const raw = trace();
    raw.spans[1] = span(child, root, { 'traceloop.custom_metric.answer_quality': 0, 'traceloop.custom_metric.latency_ok': true });
    const t = buildTrace(raw);
    expect(t.feedback).toEqual([
      { name: 'answer_quality', score: 0, source: 'metric', spanId: child },
      { name: 'latency_ok', score: 1, source: 'metric', spanId: child },
    ]);
    expect(flagReasons(t)).toEqual(['feedback:answer_quality=0']);
  });
});

describe('gen_ai.evaluation.result labels', () => {
  it('a label-only "fail" / "incorrect" flags, "pass" does not (semconv example labels)', () => {
    const raw = trace();
    const evalEvent = (name: string, label: string) => ({ name: 'gen_ai.evaluation.result', timeMs: 0,
      attributes: { 'gen_ai.evaluation.name': name, 'gen_ai.evaluation.score.label': label } });
    raw.spans[1] = { ...span(child, root), events: [evalEvent('groundedness', 'fail'), evalEvent('relevance', 'relevant')] };
    expect(flagReasons(buildTrace(raw))).toEqual(['feedback:groundedness=fail']);
    raw.spans[1] = { ...span(child, root), events: [evalEvent('correctness', 'incorrect'), evalEvent('format', 'pass')] };
    expect(flagReasons(buildTrace(raw))).toEqual(['feedback:correctness=incorrect']);
  });
});
