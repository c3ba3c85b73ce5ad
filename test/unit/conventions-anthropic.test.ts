import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'anthropic.messages.create', kind: 'client', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {},
    scope: { name: 'com.anthropic.sdk.typescript' }, ...over,
  };
}

describe('Anthropic TS SDK spans', () => {
  // Shape: @anthropic-ai/sdk internal/tracing.js SPAN_ATTRIBUTES['anthropic.messages.create'] + lib/internal/tracing/content.js.
  it('chat span: gen_ai content and usage, stop reason from anthropic.message.stop_reason', () => {
    const s = span({ attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.request.max_tokens': 1024, 'gen_ai.response.model': 'claude-sonnet-4-5-20250929', 'gen_ai.response.id': 'msg_1',
      'gen_ai.usage.input_tokens': 150, 'gen_ai.usage.output_tokens': 40, 'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.cache_write.input_tokens': 20, 'anthropic.message.stop_reason': 'max_tokens',
      'gen_ai.system_instructions': '[{"type":"text","content":"Refund bot"}]',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Refund 42' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', content: 'think' }, { type: 'tool_call', id: 'toolu_1', name: 'lookup', arguments: { order: 42 } }] },
        { role: 'user', parts: [{ type: 'tool_call_response', id: 'toolu_1', response: [{ type: 'text', text: 'shipped' }] }] },
      ]),
      'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"It shipped, so"}]}]',
    } });
    const v = viewSpan(s);
    expect(v.conventions).toEqual(['gen_ai', 'anthropic']);
    const step = v.step as LlmStep;
    expect(step).toMatchObject({ provider: 'anthropic', finishReason: 'max_tokens', responseId: 'msg_1',
      usage: { inputTokens: 150, outputTokens: 40, cachedInputTokens: 100, cacheCreationInputTokens: 20 } });
    expect(step.input).toEqual([
      { role: 'system', content: 'Refund bot' },
      { role: 'user', content: 'Refund 42' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: { order: 42 } }] },
      { role: 'tool', content: 'shipped', toolCallId: 'toolu_1' },
    ]);
  });

  it('tool runner span: result from anthropic.tool_result.content, tool_error status', () => {
    const s = span({ name: 'anthropic.custom_tool_use lookup', kind: 'internal', status: { code: 'error' }, attributes: {
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.provider.name': 'anthropic', 'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.call.id': 'toolu_1', 'gen_ai.tool.type': 'function', 'gen_ai.tool.call.arguments': '{"order":42}',
      'anthropic.tool_result.content': '[{"type":"text","text":"order not found"}]', 'error.type': 'tool_error' } });
    expect(viewSpan(s).step).toEqual({ type: 'tool', name: 'lookup', callId: 'toolu_1', arguments: { order: 42 },
      result: 'order not found', error: { type: 'tool_error', message: 'tool_error' } });
  });
});
