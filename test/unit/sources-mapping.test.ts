import { describe, expect, it } from 'vitest';
import { langfuseToRawTrace, toFeedback, toUsage } from '../../src/traces/sources/langfuse-map.js';
import { langsmithTimeMs, runsToRawTrace, runToSpan } from '../../src/traces/sources/langsmith-map.js';
import { outputMessages, toMessages } from '../../src/traces/sources/messages.js';

const origin = { format: 'test' };

describe('message shapes', () => {
  it('reads OpenAI tool calls, Anthropic blocks and LangChain dict messages', () => {
    expect(
      toMessages([
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"ok":true}' },
        { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'tool_use', id: 't1', name: 'calc', input: { x: 1 } }] },
        { type: 'human', data: { content: 'hi', type: 'human' } },
      ]),
    ).toEqual([
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'lookup', arguments: { id: 1 } }] },
      { role: 'tool', content: '{"ok":true}', toolCallId: 'c1' },
      { role: 'assistant', content: 'a', toolCalls: [{ id: 't1', name: 'calc', arguments: { x: 1 } }] },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('reads outputs as choices, generations, a string or an Anthropic message', () => {
    expect(outputMessages({ choices: [{ message: { role: 'assistant', content: 'x' } }] })).toEqual([{ role: 'assistant', content: 'x' }]);
    expect(outputMessages({ generations: [[{ text: 'y' }]] })).toEqual([{ role: 'assistant', content: 'y' }]);
    expect(outputMessages('z')).toEqual([{ role: 'assistant', content: 'z' }]);
    expect(outputMessages({ role: 'assistant', content: [{ type: 'text', text: 'w' }], stop_reason: 'end_turn' })).toEqual([{ role: 'assistant', content: 'w' }]);
  });
});

describe('Langfuse mapping', () => {
  it('maps an ERROR generation, nested observations, usage details and score types', () => {
    const t = langfuseToRawTrace(
      {
        trace: { id: 't1', timestamp: '2025-01-01T00:00:00.000Z', name: 'n', tags: ['a'] },
        observations: [
          { id: 'o1', type: 'SPAN', name: 'outer', startTime: '2025-01-01T00:00:00.100Z', endTime: '2025-01-01T00:00:01Z' },
          { id: 'o2', type: 'GENERATION', name: 'g', parentObservationId: 'o1', startTime: '2025-01-01T00:00:00.200Z', level: 'ERROR', statusMessage: '429', model: 'm', usageDetails: { input: 5, output: 0, input_cached_tokens: 2 } },
        ],
        scores: [{ name: 'ok', value: 0, dataType: 'BOOLEAN', source: 'EVAL' }, { name: 'cat', value: 0, stringValue: 'bad', dataType: 'CATEGORICAL' }],
      },
      origin,
    );
    const g = t.spans.find((s) => s.spanId === 'o2');
    expect(g?.parentSpanId).toBe('o1');
    expect(t.spans.find((s) => s.spanId === 'o1')?.parentSpanId).toBe('t1');
    expect(g?.status).toEqual({ code: 'error', message: '429' });
    expect(g?.step).toMatchObject({ type: 'llm', model: 'm', error: { message: '429' }, usage: { inputTokens: 5, outputTokens: 0, cachedInputTokens: 2 } });
    expect(t.feedback).toEqual([{ name: 'ok', score: 0, value: false, source: 'eval' }, { name: 'cat', value: 'bad' }]);
    expect(t.spans[0]?.status.code).toBe('error');
    expect(toUsage({}, { input: 1, output: 2, total: 3, unit: 'TOKENS' })).toEqual({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
    expect(toFeedback({ name: 's', value: 0.5 })).toEqual({ name: 's', score: 0.5 });
  });
});

describe('LangSmith mapping', () => {
  it('parses naive ISO (UTC), microseconds, offsets and epoch ms', () => {
    expect(langsmithTimeMs('2025-01-01T00:00:00.123456')).toBeCloseTo(Date.UTC(2025, 0, 1) + 123.456, 3);
    expect(langsmithTimeMs('2025-01-01T01:00:00+01:00')).toBe(Date.UTC(2025, 0, 1));
    expect(langsmithTimeMs(1735689600000)).toBe(1735689600000);
    expect(langsmithTimeMs('nope')).toBeUndefined();
  });

  it('maps parser and prompt runs and unwraps {input}/{output}', () => {
    const base = { trace_id: 'T', start_time: 0, end_time: 1 };
    expect(runToSpan({ ...base, id: 'p', run_type: 'parser', inputs: { input: 'raw' }, outputs: { output: { a: 1 } } }).step).toEqual({ type: 'parse', input: 'raw', output: { a: 1 }, fallback: false });
    const prompt = runToSpan({ ...base, id: 'q', run_type: 'prompt', inputs: { topic: 'x' }, outputs: { messages: [{ role: 'system', content: 'about x' }] } });
    expect(prompt.step).toEqual({ type: 'prompt', variables: { topic: 'x' }, rendered: [{ role: 'system', content: 'about x' }] });
    expect(() => runToSpan({ id: 'r', run_type: 'llm' })).toThrow(/start_time/);
    const t = runsToRawTrace('T', [{ ...base, id: 'T', run_type: 'chain', extra: { metadata: { thread_id: 'th', ls_x: 1 } } }], [{ key: 'k', score: true, run_id: 'T' }], origin);
    expect(t.sessionId).toBe('th');
    expect(t.metadata).toEqual({ thread_id: 'th' });
    expect(t.feedback).toEqual([{ name: 'k', score: 1, value: true, spanId: 't' }]);
  });
});
