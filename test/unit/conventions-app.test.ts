import { describe, expect, it } from 'vitest';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'step', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

// Shapes: application spans made with @opentelemetry/api tracer.startActiveSpan + setAttributes (no library convention).
describe('app.* parse and prompt keys', () => {
  it('app.parser.* → parse step with fallback', () => {
    const s = span({ name: 'parse_refund', attributes: { 'app.parser.input': 'Sure! {"amount": 10', 'app.parser.output': '{"amount":0}',
      'app.parser.fallback': true, 'app.parser.error': 'Unexpected end of JSON' } });
    expect(viewSpan(s)).toEqual({ conventions: ['app'], step: { type: 'parse', input: 'Sure! {"amount": 10', output: { amount: 0 },
      fallback: true, error: { message: 'Unexpected end of JSON' } } });
  });

  it('a parse* span with a fallback attribute inside a Traceloop task is a parse step, not a chain', () => {
    const s = span({ name: 'parseAnswer.task', attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.input': '{"args":["x"],"kwargs":{}}',
      'traceloop.entity.output': '{"ok":false}', 'fallback': 'true' } });
    const v = viewSpan(s);
    expect(v.step).toEqual({ type: 'parse', input: { args: ['x'], kwargs: {} }, output: { ok: false }, fallback: true });
    expect(v.conventions).toEqual(['app']);
  });

  it('app.prompt.* alone → prompt step; on an LLM span → LlmStep.prompt', () => {
    const p = span({ attributes: { 'app.prompt.template': 'Hi {name}', 'app.prompt.variables': '{"name":"Bo"}', 'app.prompt.version': '3',
      'app.prompt.id': 'greet' } });
    expect(viewSpan(p).step).toEqual({ type: 'prompt', templateId: 'greet', version: '3', template: 'Hi {name}', variables: { name: 'Bo' } });
    const l = span({ attributes: { ...p.attributes, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' } });
    const v = viewSpan(l);
    expect(v.conventions).toEqual(['gen_ai', 'app']);
    expect((v.step as LlmStep).prompt).toEqual({ templateId: 'greet', version: '3', template: 'Hi {name}', variables: { name: 'Bo' } });
  });

  it('a span named parse without any fallback key is not a parse step', () => {
    expect(viewSpan(span({ name: 'parse', attributes: { 'x': 1 } }))).toEqual({ conventions: [] });
  });
});
