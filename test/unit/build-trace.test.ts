import { describe, expect, it } from 'vitest';
import { buildTrace } from '../../src/traces/build.js';
import { rootsOf, stepsOf, type RawSpan } from '../../src/traces/model.js';
import type { RawTrace, SourceSpan } from '../../src/traces/sources/source.js';

function span(over: Partial<RawSpan> & { spanId: string }): RawSpan {
  return {
    traceId: 'trace-1', name: over.spanId, kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: { 'service.name': 'refund-bot' }, ...over,
  };
}

function raw(spans: SourceSpan[], extra: Partial<RawTrace> = {}): RawTrace {
  return { traceId: 'trace-1', origin: { format: 'otlp-json', location: 'traces.jsonl' }, spans, ...extra };
}

// A refund-bot request as it arrives when the app uses the Langfuse JS SDK v4 for its own spans,
// the Anthropic SDK's built-in gen_ai spans for the model call, and Traceloop association
// properties propagated to every span. Spans are given in END order, as OTLP exports them.
const assoc = {
  'traceloop.association.properties.user_id': 'u-7',
  'traceloop.association.properties.session_id': 'sess-3',
  'traceloop.association.properties.chat_id': 'chat-9',
};
const mixed = raw([
  span({ spanId: 'llm', parentSpanId: 'root', name: 'chat claude-sonnet-4-5', kind: 'client', startTimeMs: 120, endTimeMs: 900,
    scope: { name: 'com.anthropic.sdk.typescript' },
    attributes: { ...assoc, 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 60, 'anthropic.message.stop_reason': 'end_turn',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Refund 42"}]}]',
      'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"Refunded."}]}]' },
    events: [{ name: 'gen_ai.evaluation.result', timeMs: 950, attributes: { 'gen_ai.evaluation.name': 'groundedness',
      'gen_ai.evaluation.score.value': 0.4, 'gen_ai.evaluation.score.label': 'fail', 'gen_ai.evaluation.explanation': 'no source' } }] }),
  span({ spanId: 'search', parentSpanId: 'root', name: 'search-kb', startTimeMs: 20, endTimeMs: 100,
    attributes: { ...assoc, 'langfuse.observation.type': 'retriever', 'langfuse.observation.input': '"refund 42"',
      'langfuse.observation.output': '[{"id":"d1","content":"30 day policy","score":0.8}]',
      'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'partial results' } }),
  span({ spanId: 'root', name: 'POST /refund', kind: 'server', startTimeMs: 0, endTimeMs: 1000,
    attributes: { ...assoc, 'langfuse.observation.type': 'agent', 'langfuse.trace.tags': ['prod', 'refunds'],
      'langfuse.trace.metadata.region': 'eu', 'user.id': 'langfuse-user', 'feedback.value': 'thumbs_down',
      'feedback.comment': 'wrong amount', 'traceloop.association.properties.tags': 'refunds,beta' } }),
]);

describe('buildTrace on a mixed Langfuse + gen_ai + Traceloop trace', () => {
  const t = buildTrace(mixed);

  it('sorts spans by start, names the trace after the root and spans its time', () => {
    expect(t.spans.map((s) => s.spanId)).toEqual(['root', 'search', 'llm']);
    expect(t.name).toBe('POST /refund');
    expect([t.startTimeMs, t.endTimeMs]).toEqual([0, 1000]);
    expect(rootsOf(t).map((s) => s.spanId)).toEqual(['root']);
    expect(t.origin).toEqual({ format: 'otlp-json', location: 'traces.jsonl' });
  });

  it('gives each span its step and the conventions that contributed', () => {
    const [llm] = stepsOf(t, 'llm');
    expect(llm?.conventions).toEqual(['gen_ai', 'anthropic']);
    expect(llm?.step).toMatchObject({ model: 'claude-sonnet-4-5', finishReason: 'end_turn', usage: { inputTokens: 300, outputTokens: 60 },
      output: [{ role: 'assistant', content: 'Refunded.' }] });
    const [search] = stepsOf(t, 'retrieval');
    expect(search?.step).toEqual({ type: 'retrieval', query: 'refund 42', documents: [{ id: 'd1', content: '30 day policy', score: 0.8 }],
      error: { message: 'partial results' } });
    expect(t.spans[0]?.step).toEqual({ type: 'chain', kind: 'agent' });
  });

  it('turns Langfuse level ERROR into span and trace status error', () => {
    expect(t.spans.find((s) => s.spanId === 'search')?.status).toEqual({ code: 'error', message: 'partial results' });
    expect(t.status).toBe('error');
  });

  it('collects user, session, tags and metadata (user.id before association properties)', () => {
    expect(t.userId).toBe('langfuse-user');
    expect(t.sessionId).toBe('sess-3');
    expect(t.tags).toEqual(['prod', 'refunds', 'beta']);
    expect(t.metadata).toEqual({ region: 'eu', user_id: 'u-7', session_id: 'sess-3', chat_id: 'chat-9', tags: 'refunds,beta' });
  });

  it('collects evaluation events and root-span feedback keys', () => {
    expect(t.feedback).toEqual([
      { name: 'groundedness', score: 0.4, value: 'fail', comment: 'no source', source: 'eval', spanId: 'llm' },
      { name: 'user_feedback', score: 0, value: 'thumbs_down', comment: 'wrong amount', source: 'user', spanId: 'root' },
    ]);
  });
});

describe('buildTrace: other facts', () => {
  it('keeps steps set by the source and lets raw trace fields win', () => {
    const t = buildTrace(raw(
      [{ ...span({ spanId: 'a', attributes: { 'user.id': 'from-attr', 'tag.tags': '["x"]' } }),
        step: { type: 'tool', name: 'lookup', result: 1 }, conventions: ['langsmith'] }],
      { name: 'refund', userId: 'from-source', tags: ['y'], metadata: { k: 1 }, feedback: [{ name: 'thumbs', score: 1, source: 'api' }] },
    ));
    expect(t.spans[0]?.step).toEqual({ type: 'tool', name: 'lookup', result: 1 });
    expect(t.spans[0]?.conventions).toEqual(['langsmith']);
    expect(t).toMatchObject({ name: 'refund', userId: 'from-source', tags: ['y', 'x'], metadata: { k: 1 }, status: 'ok' });
    expect(t.feedback).toEqual([{ name: 'thumbs', score: 1, source: 'api' }]);
  });

  it('reads gen_ai.evaluation.result log events and OpenInference annotations', () => {
    const t = buildTrace(raw([span({ spanId: 'a', attributes: {
      'trace.annotations.0.annotation.name': 'correctness', 'trace.annotations.0.annotation.label': 'correct',
      'trace.annotations.0.annotation.score': 1, 'trace.annotations.0.annotation.explanation': 'matches',
      'session.id': 's-1', 'enduser.id': 'e-1', 'metadata': '{"tenant":"acme"}' },
    logs: [{ name: 'gen_ai.evaluation.result', timeMs: 5, attributes: { 'gen_ai.evaluation.name': 'relevance' },
      body: { 'gen_ai.evaluation.score.value': 0.9 } }] })]));
    expect(t.feedback).toEqual([
      { name: 'relevance', score: 0.9, source: 'eval', spanId: 'a' },
      { name: 'correctness', score: 1, value: 'correct', comment: 'matches', source: 'annotation' },
    ]);
    expect([t.userId, t.sessionId]).toEqual(['e-1', 's-1']);
    expect(t.metadata).toEqual({ tenant: 'acme' });
  });

  it('orders equal start times by span id and marks errors from exception events only', () => {
    const t = buildTrace(raw([
      span({ spanId: 'b', parentSpanId: 'a', startTimeMs: 5 }),
      span({ spanId: 'c', parentSpanId: 'a', startTimeMs: 5, events: [{ name: 'exception', timeMs: 6,
        attributes: { 'exception.type': 'TypeError', 'exception.message': 'x is undefined' } }] }),
      span({ spanId: 'a', startTimeMs: 5 }),
    ]));
    expect(t.spans.map((s) => s.spanId)).toEqual(['a', 'b', 'c']);
    expect(t.spans[2]?.status).toEqual({ code: 'error', message: 'x is undefined' });
    expect(t.spans[2]?.step).toBeUndefined();
    expect(t.status).toBe('error');
    expect(t.name).toBe('a');
  });

  it('folds the Anthropic SDK span into the instrumentation LLM span that wraps it', () => {
    // Shape: @arizeai/openinference-instrumentation-anthropic span with the @anthropic-ai/sdk
    // `anthropic.messages.create` span as its child (content capture off in the SDK).
    const t = buildTrace(raw([
      span({ spanId: 'oi', name: 'Anthropic Messages', startTimeMs: 1, attributes: { 'openinference.span.kind': 'LLM',
        'llm.provider': 'anthropic', 'llm.model_name': 'claude-sonnet-4-6', 'llm.token_count.prompt': 16,
        'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'Hi' } }),
      span({ spanId: 'sdk', parentSpanId: 'oi', name: 'anthropic.messages.create', startTimeMs: 2,
        scope: { name: 'com.anthropic.sdk.typescript' }, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-6', 'gen_ai.response.id': 'msg_1', 'gen_ai.usage.input_tokens': 99,
          'gen_ai.usage.cache_read.input_tokens': 5, 'anthropic.message.stop_reason': 'end_turn' } }),
    ]));
    expect(stepsOf(t, 'llm')).toHaveLength(1);
    const [llm] = stepsOf(t, 'llm');
    expect(llm?.spanId).toBe('oi');
    expect(llm?.conventions).toEqual(['openinference', 'gen_ai', 'anthropic']);
    expect(llm?.step).toMatchObject({ responseId: 'msg_1', finishReason: 'end_turn', usage: { inputTokens: 16, cachedInputTokens: 5 },
      input: [{ role: 'user', content: 'Hi' }] });
    expect(llm?.step.contentMissing).toBeUndefined();
    expect(t.spans[1]).toMatchObject({ spanId: 'sdk', conventions: [] });
    expect(t.spans[1]?.step).toBeUndefined();
  });

  it('an explicit OK status means a recorded exception was handled', () => {
    const t = buildTrace(raw([span({ spanId: 'a', status: { code: 'ok' },
      events: [{ name: 'exception', timeMs: 1, attributes: { 'exception.type': 'APIConnectionError', 'exception.message': 'retrying' } }] })]));
    expect(t.status).toBe('ok');
    expect(t.spans[0]?.status).toEqual({ code: 'ok' });
  });

  it('handles an empty trace', () => {
    const t = buildTrace(raw([]));
    expect(t).toMatchObject({ spans: [], startTimeMs: 0, endTimeMs: 0, status: 'ok', tags: [], feedback: [], metadata: {} });
    expect(t.name).toBeUndefined();
  });
});
