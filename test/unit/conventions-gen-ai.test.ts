import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan, RetrievalStep, ToolStep } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'chat gpt-4o-mini', kind: 'client', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

function llm(s: RawSpan): LlmStep {
  const v = viewSpan(s);
  expect(v.step?.type).toBe('llm');
  return v.step as LlmStep;
}

describe('gen_ai ≥1.37: content as JSON strings on the span', () => {
  // Shape: OTel semconv 1.37 gen_ai.input.messages / output.messages JSON schemas, as written by
  // the Anthropic TS SDK (lib/internal/tracing/content.js) and OpenLLMetry-JS 0.25+.
  const s = span({
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.choice.count': 1,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.cache_read.input_tokens': 64,
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a refund bot.' }]),
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Refund order 42' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { order: 42 } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'shipped' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Done.' }], finish_reason: 'stop' },
      ]),
      'gen_ai.tool.definitions': JSON.stringify([
        { type: 'function', name: 'lookup', description: 'Find an order', parameters: { type: 'object' } },
      ]),
    },
  });

  it('maps model, provider, params, usage and finish reason', () => {
    const step = llm(s);
    expect(step).toMatchObject({
      provider: 'openai', model: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'chatcmpl-1',
      operation: 'chat', finishReason: 'tool_calls',
      params: { temperature: 0.2, maxTokens: 256, stop: ['END'], extra: { 'choice.count': 1 } },
      usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 64 },
    });
    expect(step.tools).toEqual([{ name: 'lookup', description: 'Find an order', parameters: { type: 'object' } }]);
    expect(step.contentMissing).toBeUndefined();
    expect(viewSpan(s).conventions).toEqual(['gen_ai']);
  });

  it('puts system instructions first and normalizes tool calls and tool results', () => {
    const step = llm(s);
    expect(step.input).toEqual([
      { role: 'system', content: 'You are a refund bot.' },
      { role: 'user', content: 'Refund order 42' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { order: 42 } }] },
      { role: 'tool', content: 'shipped', toolCallId: 'call_1' },
    ]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'Done.' }]);
  });

  it('reads the structured gen_ai.client.inference.operation.details log event', () => {
    // contrib flavour (opentelemetry-python-contrib genai utils): kvlist-decoded values, no JSON strings
    const s2 = span({
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' },
      logs: [{
        name: 'gen_ai.client.inference.operation.details', timeMs: 5, body: null,
        attributes: {
          'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
          'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'length' }],
        },
      }],
    });
    const step = llm(s2);
    expect(step.input).toEqual([{ role: 'user', content: 'hi' }]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'hello' }]);
    expect(step.finishReason).toBe('length');
  });
});

describe('gen_ai 1.28–1.36: per-message log events', () => {
  // Shape: opentelemetry-instrumentation-openai-v2 (Python contrib) log records, body as kvlist.
  it('rebuilds input from system/user/assistant/tool logs and output from gen_ai.choice', () => {
    const s = span({
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 },
      logs: [
        { name: 'gen_ai.system.message', timeMs: 1, attributes: { 'gen_ai.system': 'openai' }, body: { content: 'Be brief.' } },
        { name: 'gen_ai.user.message', timeMs: 2, attributes: {}, body: { content: 'Weather?' } },
        { name: 'gen_ai.assistant.message', timeMs: 3, attributes: {}, body: {
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] } },
        { name: 'gen_ai.tool.message', timeMs: 4, attributes: {}, body: { content: 'rain', id: 'c1' } },
        { name: 'gen_ai.choice', timeMs: 5, attributes: {}, body: { index: 0, finish_reason: 'stop', message: { content: 'Rain.' } } },
      ],
    });
    const step = llm(s);
    expect(step.provider).toBe('openai');
    expect(step.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }] },
      { role: 'tool', content: 'rain', toolCallId: 'c1' },
    ]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'Rain.' }]);
    expect(step.finishReason).toBe('stop');
  });

  it('marks content missing when capture was off', () => {
    const step = llm(span({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } }));
    expect(step.contentMissing).toBe(true);
    expect(step.input).toEqual([]);
  });
});

describe('gen_ai ≤1.27 content events and old usage names', () => {
  // Shape: semconv ≤1.27 span events gen_ai.content.prompt/completion (e.g. early OpenLIT-Python).
  it('parses gen_ai.prompt / gen_ai.completion JSON from span events', () => {
    const s = span({
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-3.5-turbo',
        'gen_ai.usage.prompt_tokens': '7', 'gen_ai.usage.completion_tokens': 3, 'gen_ai.response.finish_reasons': ['length'] },
      events: [
        { name: 'gen_ai.content.prompt', timeMs: 1, attributes: { 'gen_ai.prompt': '[{"role":"user","content":"Hi"}]' } },
        { name: 'gen_ai.content.completion', timeMs: 2, attributes: { 'gen_ai.completion': '[{"role":"assistant","content":"Hey"}]' } },
      ],
    });
    const step = llm(s);
    expect(step.input).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'Hey' }]);
    expect(step.usage).toEqual({ inputTokens: 7, outputTokens: 3 });
    expect(step.finishReason).toBe('length');
  });

  it('splits OpenLIT-JS "role: text" prompt lines and keeps a non-JSON completion as text', () => {
    // OpenLIT-JS ≤1.7: gen_ai.content.prompt as span attribute, singular finish_reason.
    const s = span({
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.content.prompt': 'system: Be nice\nuser: Hello\nthere',
        'gen_ai.completion': 'Hi!', 'gen_ai.response.finish_reason': 'stop' },
    });
    const step = llm(s);
    expect(step.input).toEqual([{ role: 'system', content: 'Be nice' }, { role: 'user', content: 'Hello\nthere' }]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'Hi!' }]);
    expect(step.finishReason).toBe('stop');
  });
});

describe('gen_ai non-LLM operations', () => {
  it('retrieval: documents with score, query and data source', () => {
    const s = span({
      name: 'retrieval kb',
      attributes: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'kb', 'gen_ai.retrieval.query.text': 'refund policy',
        'gen_ai.request.top_k': 2,
        'gen_ai.retrieval.documents': JSON.stringify([{ id: 'd1', score: 0.9, content: 'Refunds within 30 days', metadata: { src: 'faq' } }, { id: 'd2', score: 0.5 }]) },
    });
    const step = viewSpan(s).step as RetrievalStep;
    expect(step).toEqual({ type: 'retrieval', query: 'refund policy', store: 'kb', topK: 2, documents: [
      { id: 'd1', score: 0.9, content: 'Refunds within 30 days', metadata: { src: 'faq' } }, { id: 'd2', score: 0.5 }] });
  });

  it('execute_tool: name, call id, parsed arguments and result', () => {
    const s = span({ name: 'execute_tool lookup', attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.call.arguments': '{"order":42}', 'gen_ai.tool.call.result': 'not json' } });
    expect(viewSpan(s).step as ToolStep).toEqual({ type: 'tool', name: 'lookup', callId: 'call_1', arguments: { order: 42 }, result: 'not json' });
  });

  it('embeddings, and invoke_agent → chain', () => {
    expect(viewSpan(span({ attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 5 } })).step).toEqual({ type: 'embedding', model: 'text-embedding-3-small', usage: { inputTokens: 5 } });
    expect(viewSpan(span({ attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'refunds' } })).step)
      .toEqual({ type: 'chain', kind: 'agent' });
  });

  it('errors: status ERROR, error.type and the exception event', () => {
    const s = span({
      status: { code: 'error', message: '429' },
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'error.type': 'RateLimitError' },
      events: [{ name: 'exception', timeMs: 3, attributes: { 'exception.type': 'openai.RateLimitError', 'exception.message': 'Rate limit reached' } }],
    });
    expect(llm(s).error).toEqual({ type: 'openai.RateLimitError', message: 'Rate limit reached' });
  });
});
