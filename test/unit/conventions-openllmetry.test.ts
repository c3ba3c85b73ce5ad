import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'openai.chat', kind: 'client', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

describe('OpenLLMetry legacy LLM spans', () => {
  // Shape: @traceloop/instrumentation-openai ≤0.22 (JS) / opentelemetry-instrumentation-openai 0.4x (Python).
  const s = span({
    attributes: {
      'llm.request.type': 'chat', 'gen_ai.system': 'OpenAI', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0, 'llm.is_streaming': false, 'llm.top_p': 1,
      'gen_ai.prompt.0.role': 'system', 'gen_ai.prompt.0.content': 'Refund bot',
      'gen_ai.prompt.1.role': 'user', 'gen_ai.prompt.1.content': '[{"type":"text","text":"Refund 42"}]',
      'gen_ai.prompt.2.role': 'assistant', 'gen_ai.prompt.2.content': 'null',
      'gen_ai.prompt.2.tool_calls.0.id': 'call_9', 'gen_ai.prompt.2.tool_calls.0.name': 'lookup',
      'gen_ai.prompt.2.tool_calls.0.arguments': '{"order":42}',
      'gen_ai.prompt.3.role': 'tool', 'gen_ai.prompt.3.content': 'shipped', 'gen_ai.prompt.3.tool_call_id': 'call_9',
      'gen_ai.completion.0.role': 'assistant', 'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_10', 'gen_ai.completion.0.tool_calls.0.name': 'refund',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"order":42}',
      'llm.request.functions.0.name': 'refund', 'llm.request.functions.0.description': 'Refund an order',
      'llm.request.functions.0.arguments': '{"type":"object"}',
      'gen_ai.usage.prompt_tokens': 50, 'gen_ai.usage.completion_tokens': 12, 'llm.usage.total_tokens': 62,
      'gen_ai.usage.cache_read_input_tokens': 8,
      'traceloop.association.properties.user_id': 'u1',
    },
  });

  it('merges gen_ai request keys with indexed messages', () => {
    const v = viewSpan(s);
    expect(v.conventions).toEqual(['gen_ai', 'openllmetry']);
    const step = v.step as LlmStep;
    expect(step).toMatchObject({
      provider: 'openai', model: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', operation: 'chat', finishReason: 'tool_calls',
      params: { temperature: 0, topP: 1, stream: false },
      usage: { inputTokens: 50, outputTokens: 12, totalTokens: 62, cachedInputTokens: 8 },
    });
    expect(step.input).toEqual([
      { role: 'system', content: 'Refund bot' },
      { role: 'user', content: 'Refund 42' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { order: 42 } }] },
      { role: 'tool', content: 'shipped', toolCallId: 'call_9' },
    ]);
    expect(step.output).toEqual([{ role: 'assistant', content: null, toolCalls: [{ id: 'call_10', name: 'refund', arguments: { order: 42 } }] }]);
    expect(step.tools).toEqual([{ name: 'refund', description: 'Refund an order', parameters: { type: 'object' } }]);
  });

  it('reads the oldest llm.prompts.N / llm.completions.N keys and function_call', () => {
    const old = span({ attributes: { 'llm.vendor': 'OpenAI', 'llm.request.model': 'gpt-3.5-turbo', 'llm.request.type': 'chat',
      'llm.prompts.0.role': 'user', 'llm.prompts.0.content': 'Hi',
      'llm.completions.0.role': 'assistant', 'llm.completions.0.function_call.name': 'f', 'llm.completions.0.function_call.arguments': '{}',
      'llm.completions.0.finish_reason': 'function_call' } });
    const step = viewSpan(old).step as LlmStep;
    expect(step.provider).toBe('openai');
    expect(step.model).toBe('gpt-3.5-turbo');
    expect(step.input).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(step.output).toEqual([{ role: 'assistant', content: null, toolCalls: [{ name: 'f', arguments: {} }] }]);
    expect(step.finishReason).toBe('function_call');
  });
});

describe('OpenLLMetry decorator and vector DB spans', () => {
  it('withWorkflow/withTask → chain with entity input/output; withTool → tool', () => {
    // Shape: @traceloop/node-server-sdk withWorkflow / withTool spans.
    const wf = span({ name: 'refund.workflow', attributes: { 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'refund',
      'traceloop.entity.input': '{"args":["order 42"],"kwargs":{}}', 'traceloop.entity.output': '"ok"' } });
    expect(viewSpan(wf).step).toEqual({ type: 'chain', kind: 'workflow', input: { args: ['order 42'], kwargs: {} }, output: 'ok' });
    const tool = span({ name: 'lookup.tool', attributes: { 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'lookup',
      'traceloop.entity.input': '{"args":[{"order":42}],"kwargs":{}}', 'traceloop.entity.output': '{"status":"shipped"}' } });
    expect(viewSpan(tool).step).toEqual({ type: 'tool', name: 'lookup', arguments: { order: 42 }, result: { status: 'shipped' } });
  });

  it('db.query.result events become retrieval documents with score, id, document and metadata', () => {
    // Shape: @traceloop/instrumentation-chromadb / -pinecone query spans.
    const s = span({ name: 'chroma.query', attributes: { 'db.system': 'chroma', 'db.chroma.query.query_texts': '["refund policy"]',
      'db.chroma.query.n_results': 2 },
    events: [
      { name: 'db.query.embeddings', timeMs: 1, attributes: { 'db.query.embeddings.vector': '[0.1,0.2]' } },
      { name: 'db.query.result', timeMs: 2, attributes: { 'db.query.result.id': 'd1', 'db.query.result.score': 0.8,
        'db.query.result.document': 'Refunds within 30 days', 'db.query.result.metadata': '{"src":"faq"}' } },
      { name: 'db.query.result', timeMs: 3, attributes: { 'db.query.result.id': 'd2', 'db.query.result.distance': 0.7 } },
    ] });
    expect(viewSpan(s).step).toEqual({ type: 'retrieval', query: 'refund policy', store: 'chroma', topK: 2, documents: [
      { id: 'd1', score: 0.8, content: 'Refunds within 30 days', metadata: { src: 'faq' } },
      { id: 'd2', metadata: { distance: 0.7 } },
    ] });
  });

  it('association properties alone make no step', () => {
    const s = span({ name: 'GET /refund', attributes: { 'traceloop.association.properties.session_id': 's1', 'http.method': 'GET' } });
    expect(viewSpan(s)).toEqual({ conventions: [] });
  });
});
