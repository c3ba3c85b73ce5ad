import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { conventionOrder, viewSpan } from '../../src/traces/conventions/registry.js';
import { parseLenient } from '../../src/traces/conventions/attrs.js';
import { normalizeFinishReason, isTruncation, providerFinishReason } from '../../src/traces/conventions/finish-reasons.js';
import { toMessages } from '../../src/traces/conventions/messages.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'x', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

describe('registry merge', () => {
  it('is ordered vercel_ai → gen_ai → openinference → openllmetry → anthropic → langfuse → app', () => {
    expect(conventionOrder).toEqual(['vercel_ai', 'gen_ai', 'openinference', 'openllmetry', 'anthropic', 'langfuse', 'app']);
  });

  it('merges Langfuse and gen_ai on one span: earlier conventions win fields, later ones fill gaps', () => {
    // Langfuse Python SDK v3 generation that also carries gen_ai request keys (set by an OTel instrumentation).
    const v = viewSpan(span({ attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.request.temperature': 0.5,
      'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'gpt-4o-langfuse',
      'langfuse.observation.model.parameters': '{"temperature":0.9,"top_p":0.8}',
      'langfuse.observation.usage_details': '{"input":10,"output":3}',
      'langfuse.observation.input': '[{"role":"user","content":"hi"}]',
    } }));
    expect(v.conventions).toEqual(['gen_ai', 'langfuse']);
    const step = v.step as LlmStep;
    expect(step.model).toBe('gpt-4o');
    expect(step.params).toEqual({ temperature: 0.5, topP: 0.8 });
    expect(step.usage).toEqual({ inputTokens: 10, outputTokens: 3 });
    expect(step.input).toEqual([{ role: 'user', content: 'hi' }]);
    expect(step.contentMissing).toBeUndefined();
  });

  it('a generic grouping (Traceloop task, Langfuse span) never hides a specific step type', () => {
    const v = viewSpan(span({ attributes: { 'traceloop.span.kind': 'task', 'langfuse.observation.type': 'span',
      'openinference.span.kind': 'RETRIEVER', 'retrieval.documents.0.document.content': 'doc' } }));
    expect(v.step).toEqual({ type: 'retrieval', documents: [{ content: 'doc' }] });
    expect(v.conventions).toEqual(['openinference']);
  });

  it('chain when only groupings are present; first convention gives the kind', () => {
    const v = viewSpan(span({ attributes: { 'traceloop.span.kind': 'workflow', 'langfuse.observation.type': 'agent' } }));
    expect(v).toEqual({ step: { type: 'chain', kind: 'workflow' }, conventions: ['openllmetry', 'langfuse'] });
  });
});

describe('robustness', () => {
  it('never throws when known keys hold values of unexpected types', () => {
    const keys = ['gen_ai.operation.name', 'gen_ai.request.model', 'gen_ai.input.messages', 'gen_ai.output.messages',
      'gen_ai.system_instructions', 'gen_ai.tool.definitions', 'gen_ai.retrieval.documents', 'gen_ai.response.finish_reasons',
      'gen_ai.prompt.0.content', 'gen_ai.completion.0.tool_calls.0.arguments', 'llm.request.type', 'traceloop.span.kind',
      'traceloop.entity.input', 'openinference.span.kind', 'llm.input_messages.0.message.role', 'llm.invocation_parameters',
      'retrieval.documents.0.document.metadata', 'langfuse.observation.type', 'langfuse.observation.input',
      'langfuse.observation.usage_details', 'langfuse.observation.model.parameters', 'app.parser.fallback', 'app.prompt.variables'];
    const odd = [null, 0, true, 'constructor', '{"broken":', '[1,{"role":5}]', ['a', 1], { role: { x: 1 }, parts: 'no' }, [{ parts: [null, 3] }]];
    const kinds = [undefined, 'LLM', 'chat', 'generation', 'tool', 'RETRIEVER', 'execute_tool', 'retrieval'];
    for (const value of odd) {
      for (const kind of kinds) {
        const attributes = Object.fromEntries(keys.map((k) => [k, value]));
        if (kind !== undefined) {
          for (const k of ['gen_ai.operation.name', 'openinference.span.kind', 'langfuse.observation.type', 'traceloop.span.kind']) attributes[k] = kind;
        }
        expect(() => viewSpan(span({ attributes, logs: [{ name: 'gen_ai.choice', timeMs: 0, attributes: {}, body: value }] }))).not.toThrow();
      }
    }
  });
});

describe('lenient JSON and message shapes', () => {
  it('parses JSON objects, arrays and quoted strings only; anything else stays as recorded', () => {
    expect(parseLenient('{"a":1}')).toEqual({ a: 1 });
    expect(parseLenient(' [1,2] ')).toEqual([1, 2]);
    expect(parseLenient('"hi"')).toBe('hi');
    expect(parseLenient('42')).toBe('42');
    expect(parseLenient('{"a":')).toBe('{"a":');
    expect(parseLenient(7)).toBe(7);
  });

  it('normalizes OpenAI, Anthropic and LangChain-style messages', () => {
    expect(toMessages({ messages: [
      { role: 'developer', content: 'rules' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: 'not json' } }] },
      { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'ok' }] },
    ] }, 'user')).toEqual([
      { role: 'system', content: 'rules' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'f', arguments: 'not json' }] },
      { role: 'tool', content: 'ok', toolCallId: 'c1' },
    ]);
    expect(toMessages([
      { role: 'assistant', content: [{ type: 'text', text: 'Checking' }, { type: 'tool_use', id: 'tu1', name: 'g', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: 'done' }, { type: 'text', text: 'thanks' }] },
      { role: 'human', content: 'hey' },
    ], 'user')).toEqual([
      { role: 'assistant', content: 'Checking', toolCalls: [{ id: 'tu1', name: 'g', arguments: { a: 1 } }] },
      { role: 'tool', content: 'done', toolCallId: 'tu1' },
      { role: 'user', content: 'thanks' },
      { role: 'user', content: 'hey' },
    ]);
    expect(toMessages({ choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }] }, 'assistant'))
      .toEqual([{ role: 'assistant', content: 'x' }]);
    expect(toMessages('plain text', 'assistant')).toEqual([{ role: 'assistant', content: 'plain text' }]);
    expect(toMessages({ foo: 1 }, 'user')).toEqual([]);
  });

  it('finish reasons: OTel words map back to the provider words, provider words kept, truncation recognisable', () => {
    expect(providerFinishReason('openai', 'tool_call')).toBe('tool_calls');
    expect(providerFinishReason('anthropic', 'tool_call')).toBe('tool_use');
    expect(providerFinishReason('anthropic', 'stop')).toBe('end_turn');
    expect(providerFinishReason('anthropic', 'stop_sequence')).toBe('stop_sequence');
    expect(providerFinishReason(undefined, 'length')).toBe('length');
    expect(normalizeFinishReason('MAX_TOKENS')).toBe('max_tokens');
    expect(normalizeFinishReason('end_turn')).toBe('end_turn');
    expect(normalizeFinishReason('')).toBeUndefined();
    expect([isTruncation('length'), isTruncation('max_tokens'), isTruncation('stop')]).toEqual([true, true, false]);
  });
});
