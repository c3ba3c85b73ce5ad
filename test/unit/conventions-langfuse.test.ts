import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'answer', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, scope: { name: 'langfuse-sdk', version: '4.0.0' }, ...over,
  };
}

describe('Langfuse OTel attributes', () => {
  // Shape: @langfuse/tracing v4 startObservation(..., {asType: 'generation'}) → LangfuseOtelSpanAttributes.
  it('generation → llm with model, params, usage_details, messages and prompt link', () => {
    const s = span({ attributes: {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'claude-sonnet-4',
      'langfuse.observation.model.parameters': '{"temperature":"0.3","maxTokens":512}',
      'langfuse.observation.usage_details': '{"input":100,"output":20,"total":120,"input_cached_tokens":40}',
      'langfuse.observation.input': '[{"role":"system","content":"Refund bot"},{"role":"user","content":"Refund 42"}]',
      'langfuse.observation.output': '{"role":"assistant","content":[{"type":"text","text":"Done"}],"stop_reason":"end_turn"}',
      'langfuse.observation.prompt.name': 'refund-answer', 'langfuse.observation.prompt.version': 7,
    } });
    const v = viewSpan(s);
    expect(v.conventions).toEqual(['langfuse']);
    const step = v.step as LlmStep;
    expect(step).toMatchObject({
      model: 'claude-sonnet-4', params: { temperature: 0.3, maxTokens: 512 },
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, cachedInputTokens: 40 },
      finishReason: 'end_turn', prompt: { templateId: 'refund-answer', version: '7' },
    });
    expect(step.input).toEqual([{ role: 'system', content: 'Refund bot' }, { role: 'user', content: 'Refund 42' }]);
    expect(step.output).toEqual([{ role: 'assistant', content: 'Done' }]);
  });

  it('level ERROR with status_message is the step error although OTel status is UNSET', () => {
    const s = span({ attributes: { 'langfuse.observation.type': 'tool', 'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'lookup timed out', 'langfuse.observation.input': '{"order":42}' } });
    expect(viewSpan(s).step).toEqual({ type: 'tool', name: 'answer', arguments: { order: 42 }, error: { message: 'lookup timed out' } });
  });

  it('retriever output documents (LangChain Document shape) and span → chain', () => {
    const r = span({ name: 'search', attributes: { 'langfuse.observation.type': 'retriever', 'langfuse.observation.input': '{"query":"refund"}',
      'langfuse.observation.output': '[{"page_content":"30 days","metadata":{"id":"d1","score":0.7}}]' } });
    expect(viewSpan(r).step).toEqual({ type: 'retrieval', query: 'refund', documents: [
      { content: '30 days', score: 0.7, metadata: { id: 'd1', score: 0.7 } }] });
    const c = span({ attributes: { 'langfuse.observation.type': 'span', 'langfuse.observation.input': 'not {json' } });
    expect(viewSpan(c).step).toEqual({ type: 'chain', kind: 'span', input: 'not {json' });
  });
});
