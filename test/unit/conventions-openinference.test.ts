import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'ChatCompletion', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

describe('OpenInference LLM spans', () => {
  // Shape: @arizeai/openinference-instrumentation-openai (openinference-semantic-conventions 1.x).
  const s = span({ attributes: {
    'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.provider': 'openai', 'llm.system': 'openai',
    'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.1,"max_tokens":100,"response_format":{"type":"json_object"}}',
    'llm.input_messages.0.message.role': 'system', 'llm.input_messages.0.message.content': 'Be brief',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.contents.0.message_content.type': 'text',
    'llm.input_messages.1.message.contents.0.message_content.text': 'Part one',
    'llm.input_messages.1.message.contents.1.message_content.type': 'image',
    'llm.input_messages.1.message.contents.1.message_content.image.image.url': 'https://x/img.png',
    'llm.input_messages.1.message.contents.2.message_content.type': 'text',
    'llm.input_messages.1.message.contents.2.message_content.text': 'Part two',
    'llm.input_messages.2.message.role': 'tool', 'llm.input_messages.2.message.content': '42', 'llm.input_messages.2.message.tool_call_id': 'c0',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'c1',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'refund',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"order":42}',
    'llm.token_count.prompt': 30, 'llm.token_count.completion': 5, 'llm.token_count.total': 35,
    'llm.token_count.prompt_details.cache_read': 10, 'llm.token_count.completion_details.reasoning': 2,
    'llm.tools.0.tool.json_schema': '{"type":"function","function":{"name":"refund","parameters":{"type":"object"}}}',
    'llm.prompt_template.template': 'Answer {q}', 'llm.prompt_template.variables': '{"q":"why"}', 'llm.prompt_template.version': 'v3',
    'input.value': '{"messages":[]}', 'input.mime_type': 'application/json',
  } });

  it('maps messages (multi-part joined, tool calls parsed), usage, params and template', () => {
    const v = viewSpan(s);
    expect(v.conventions).toEqual(['openinference']);
    const step = v.step as LlmStep;
    expect(step.input).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Part one\nPart two' },
      { role: 'tool', content: '42', toolCallId: 'c0' },
    ]);
    expect(step.output).toEqual([{ role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'refund', arguments: { order: 42 } }] }]);
    expect(step).toMatchObject({
      provider: 'openai', model: 'gpt-4o-mini',
      params: { temperature: 0.1, maxTokens: 100, extra: { response_format: { type: 'json_object' } } },
      usage: { inputTokens: 30, outputTokens: 5, totalTokens: 35, cachedInputTokens: 10, reasoningTokens: 2 },
      tools: [{ name: 'refund', parameters: { type: 'object' } }],
      prompt: { template: 'Answer {q}', variables: { q: 'why' }, version: 'v3' },
    });
  });
});

describe('OpenInference non-LLM spans', () => {
  it('RETRIEVER documents', () => {
    const s = span({ attributes: { 'openinference.span.kind': 'RETRIEVER', 'input.value': 'refund policy',
      'retrieval.documents.0.document.id': 'd1', 'retrieval.documents.0.document.content': 'Refunds 30 days',
      'retrieval.documents.0.document.score': 0.91, 'retrieval.documents.0.document.metadata': '{"src":"faq"}',
      'retrieval.documents.1.document.content': 'Shipping' } });
    expect(viewSpan(s).step).toEqual({ type: 'retrieval', query: 'refund policy', documents: [
      { id: 'd1', content: 'Refunds 30 days', score: 0.91, metadata: { src: 'faq' } }, { content: 'Shipping' }] });
  });

  it('RERANKER output documents', () => {
    const s = span({ attributes: { 'openinference.span.kind': 'RERANKER', 'reranker.query': 'q', 'reranker.model_name': 'rerank-v3', 'reranker.top_k': 1,
      'reranker.input_documents.0.document.content': 'a', 'reranker.input_documents.1.document.content': 'b',
      'reranker.output_documents.0.document.content': 'b', 'reranker.output_documents.0.document.score': 0.99 } });
    expect(viewSpan(s).step).toEqual({ type: 'retrieval', query: 'q', store: 'rerank-v3', topK: 1, documents: [{ content: 'b', score: 0.99 }] });
  });

  it('TOOL, CHAIN, EMBEDDING and PROMPT', () => {
    expect(viewSpan(span({ attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'lookup', 'tool_call.id': 'c1',
      'input.value': '{"order":42}', 'output.value': 'shipped' } })).step)
      .toEqual({ type: 'tool', name: 'lookup', callId: 'c1', arguments: { order: 42 }, result: 'shipped' });
    expect(viewSpan(span({ attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'hi', 'output.value': '{"a":1}' } })).step)
      .toEqual({ type: 'chain', kind: 'chain', input: 'hi', output: { a: 1 } });
    expect(viewSpan(span({ attributes: { 'openinference.span.kind': 'EMBEDDING', 'embedding.model_name': 'e5',
      'embedding.embeddings.0.embedding.text': 'a', 'embedding.embeddings.1.embedding.text': 'b' } })).step)
      .toEqual({ type: 'embedding', model: 'e5', inputCount: 2 });
    expect(viewSpan(span({ attributes: { 'openinference.span.kind': 'PROMPT', 'llm.prompt_template.template': 'Hi {n}',
      'llm.prompt_template.variables': '{"n":"Bo"}' } })).step).toEqual({ type: 'prompt', template: 'Hi {n}', variables: { n: 'Bo' } });
  });

  it('status ERROR with exception event becomes step.error', () => {
    const s = span({ status: { code: 'error', message: 'boom' }, attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'x' },
      events: [{ name: 'exception', timeMs: 1, attributes: { 'exception.type': 'ValueError', 'exception.message': 'bad order' } }] });
    expect(viewSpan(s).step).toMatchObject({ type: 'tool', error: { type: 'ValueError', message: 'bad order' } });
  });
});
