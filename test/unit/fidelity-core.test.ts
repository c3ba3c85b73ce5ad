/**
 * Model-call identification, provider/API detection, routing, answer recovery and the case
 * query on hand-built spans in the shapes real libraries write (see each test's comment).
 */
import { DEFAULT_GATE } from '../../src/config/schema.js';
import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import type { Case } from '../../src/datasets/case.js';
import { borrowMissingCalls } from '../../src/datasets/exchange/borrow-call.js';
import { caseQuery } from '../../src/datasets/exchange/case-query.js';
import { caseFromTrace } from '../../src/datasets/exchange/from-trace.js';
import { relativeLocation } from '../../src/datasets/exchange/provenance-location.js';
import { NoMatchingProviderError, routeProvider } from '../../src/pipelines/route-provider.js';
import type { CaseResult } from '../../src/runner/result.js';
import { buildTrace } from '../../src/traces/build.js';
import { contentCaptureWarning } from '../../src/traces/content-capture.js';
import { viewSpan } from '../../src/traces/conventions/registry.js';
import type { LlmStep, RawSpan } from '../../src/traces/model.js';
import { runsToRawTrace } from '../../src/traces/sources/langsmith-map.js';
import type { SourceSpan } from '../../src/traces/sources/source.js';

function span(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 's1', name: 'span', kind: 'internal', startTimeMs: 0, endTimeMs: 10,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

const messagesAttr = JSON.stringify([
  { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Context: …\\n\\nQuestion: Can I return it?' }] },
]);

function trace(spans: SourceSpan[]) {
  return buildTrace({ traceId: 't1', origin: { format: 'otlp-json', location: '/home/ci/work/repo/traces/a.jsonl' }, spans });
}

describe('model-call identification', () => {
  it('an app span that only carries gen_ai.input.messages is a prompt step, not the model call', () => {
    const v = viewSpan(span({ name: 'render_prompt', attributes: { 'gen_ai.input.messages': messagesAttr } }));
    expect(v.step?.type).toBe('prompt');
  });

  it('the same messages on a CLIENT span, or with usage or a model, are a model call', () => {
    expect(viewSpan(span({ kind: 'client', attributes: { 'gen_ai.input.messages': messagesAttr } })).step?.type).toBe('llm');
    expect(viewSpan(span({ attributes: { 'gen_ai.input.messages': messagesAttr, 'gen_ai.usage.output_tokens': 3 } })).step?.type).toBe('llm');
  });

  it('a parse span that also carries the messages stays a parse step', () => {
    const v = viewSpan(span({ name: 'parse_output', attributes: { 'app.parser.input': 'x', 'app.parser.fallback': true, 'gen_ai.input.messages': messagesAttr } }));
    expect(v.step?.type).toBe('parse');
  });

  it('a Traceloop task span with messages stays a prompt/chain step', () => {
    const v = viewSpan(span({ attributes: { 'traceloop.span.kind': 'task', 'gen_ai.input.messages': messagesAttr } }));
    expect(v.step?.type).not.toBe('llm');
  });

  it('a content-less model call takes the messages of the app span that rendered them, keeping its own model', () => {
    const t = trace([
      span({ spanId: 'root', name: 'agent', attributes: { 'gen_ai.operation.name': 'invoke_agent', 'input.value': 'Can I return it?' } }),
      span({ spanId: 'p', parentSpanId: 'root', name: 'render_prompt', startTimeMs: 1, attributes: { 'gen_ai.input.messages': messagesAttr } }),
      span({
        spanId: 'c', parentSpanId: 'root', name: 'anthropic.messages.create', kind: 'client', startTimeMs: 2, scope: { name: 'com.anthropic.sdk.typescript' },
        attributes: { 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-haiku-4-5', 'anthropic.message.stop_reason': 'end_turn' },
      }),
    ]);
    const c = caseFromTrace(t, { capturedAt: 'now', toolVersion: 'x', locationBase: '/home/ci/work/repo' });
    expect(c.input).toMatchObject({ provider: 'anthropic', api: 'anthropic-messages', model: 'claude-haiku-4-5', query: 'Can I return it?', llmSpanId: 'c' });
    expect(c.input.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(c.recorded.outputMissing).toMatch(/recorded no answer/);
    expect(c.provenance.location).toBe('traces/a.jsonl');
    expect(c.context.steps.find((s) => s.spanId === 'c')?.step).toMatchObject({ contentFrom: 'p' });
    expect(contentCaptureWarning(t)).toMatch(/taken from the application's own spans.*ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content/);
  });
});

describe('answers in every shape', () => {
  it('OTel contrib: input and output in two operation.details records; the system prompt once', () => {
    // @opentelemetry/instrumentation-openai 0.21, Responses API: one record when the call starts, one when it ends.
    const s = span({
      kind: 'client', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.system_instructions': 'Be brief.' },
      logs: [
        { name: 'gen_ai.client.inference.operation.details', timeMs: 1, body: null, attributes: { 'gen_ai.input.messages': [{ role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] }, { role: 'user', parts: [{ type: 'text', content: 'Hi' }] }] } },
        { name: 'gen_ai.client.inference.operation.details', timeMs: 2, body: null, attributes: { 'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello.' }], finish_reason: 'stop' }] } },
      ],
    });
    const step = viewSpan(s).step as LlmStep;
    expect(step.input.map((m) => m.role)).toEqual(['system', 'user']);
    expect(step.output[0]?.content).toBe('Hello.');
  });

  it('OpenLLMetry Responses API: one user message holding the JSON input list is unpacked, system kept', () => {
    // @traceloop/instrumentation-openai 0.27 _startResponsesSpan: JSON.stringify(params.input) as one user text part.
    const input = JSON.stringify([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hours?' }]);
    const s = span({ kind: 'client', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.provider.name': 'openai', 'gen_ai.response.id': 'resp_1',
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: input }] }]) } });
    const step = viewSpan(s).step as LlmStep;
    expect(step.input).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hours?' }]);
    expect(step.api).toBe('openai-responses');
  });

  it('OpenInference Responses API: output_text contents are the answer', () => {
    const s = span({ name: 'OpenAI Responses', attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.provider': 'openai',
      'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.0.message.contents.0.message_content.type': 'output_text',
      'llm.output_messages.0.message.contents.0.message_content.text': 'Open 9-6.', 'output.value': JSON.stringify({ object: 'response', status: 'completed' }) } });
    const step = viewSpan(s).step as LlmStep;
    expect(step).toMatchObject({ api: 'openai-responses', finishReason: 'stop', output: [{ role: 'assistant', content: 'Open 9-6.' }] });
  });

  it('Langfuse: a plain-string output that is itself JSON, {messages, tools} input, provider from metadata', () => {
    const s = span({ attributes: { 'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'my-model',
      'langfuse.observation.metadata.provider': 'anthropic',
      'langfuse.observation.input': JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ name: 'lookup', input_schema: {} }] }),
      'langfuse.observation.output': JSON.stringify('{"answer":"Hello"}') } });
    const step = viewSpan(s).step as LlmStep;
    expect(step.output).toEqual([{ role: 'assistant', content: '{"answer":"Hello"}' }]);
    expect(step.tools?.map((t) => t.name)).toEqual(['lookup']);
    expect(step).toMatchObject({ provider: 'anthropic', api: 'anthropic-messages' });
  });
});

describe('LangSmith runs', () => {
  const run = (inputs: object, outputs: object, provider: string) => ({
    id: 'r1', trace_id: 'r1', name: 'llm', run_type: 'llm', start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T00:00:01Z',
    inputs, outputs, extra: { metadata: { ls_provider: provider, ls_model_name: provider === 'anthropic' ? 'claude-haiku-4-5' : 'gpt-4o-mini' } },
  });
  const llmOf = (r: object) => buildTrace(runsToRawTrace('r1', [r as never], [], { format: 'langsmith-runs' })).spans[0]?.step as LlmStep;

  it('Anthropic: the separate system prompt comes first; API anthropic-messages', () => {
    const step = llmOf(run({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn' }, 'anthropic'));
    expect(step.input).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    expect(step).toMatchObject({ provider: 'anthropic', api: 'anthropic-messages' });
  });

  it('OpenAI Responses: instructions as the system prompt; API openai-responses', () => {
    const step = llmOf(run({ instructions: 'Be brief.', input: 'Hours?' }, { object: 'response', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '9-6' }] }] }, 'openai'));
    expect(step.input.map((m) => m.role)).toEqual(['system', 'user']);
    expect(step.output[0]?.content).toBe('9-6');
    expect(step.api).toBe('openai-responses');
  });
});

describe('unrecovered answers are never "fixed"', () => {
  const gate = DEFAULT_GATE;
  it('a baseline whose output is missing has no verdict: the case is "new", not "fixed"', () => {
    const result = (missing?: boolean): CaseResult => ({
      caseId: 'c1', variant: 'v', repeat: 0, dataset: 'd', output: 'ok', latencyMs: 1, scores: [{ name: 'e', score: 1, pass: true, reason: '' }], pass: true,
      recorded: { scores: [{ name: 'e', score: 0, pass: false, reason: '' }], pass: false, output: null, ...(missing ? { answerMissing: true } : {}) }, startedAt: 'now',
    });
    expect(compareResults([result()], { gate }).cases[0]?.verdict).toBe('fixed');
    expect(compareResults([result(true)], { gate }).cases[0]?.verdict).toBe('new');
  });
});

describe('routing a case to the provider of its recorded API', () => {
  const configured = [{ name: 'openai', api: 'openai-chat' }, { name: 'claude', api: 'anthropic-messages' }];
  const c = (api?: string) => ({ id: 'c_1', input: { messages: [], provider: 'anthropic', model: 'claude-haiku-4-5', ...(api ? { api } : {}) } }) as unknown as Case;

  it('routes by the recorded API, keeps the variant\'s provider when it fits or nothing was recorded', () => {
    expect(routeProvider(c('anthropic-messages'), {}, 'openai', configured)).toBe('claude');
    expect(routeProvider(c('openai-chat'), {}, 'openai', configured)).toBe('openai');
    expect(routeProvider(c(), {}, 'openai', configured)).toBe('openai');
  });

  it('a variant that names a provider or a model wins', () => {
    expect(routeProvider(c('anthropic-messages'), { provider: 'openai' }, 'openai', configured)).toBe('openai');
    expect(routeProvider(c('anthropic-messages'), { model: 'gpt-4o' }, 'openai', configured)).toBe('openai');
  });

  it('no provider of that API: an error naming what was recorded and what is configured', () => {
    expect(() => routeProvider(c('openai-responses'), {}, 'openai', configured)).toThrow(NoMatchingProviderError);
    expect(() => routeProvider(c('openai-responses'), {}, 'openai', configured)).toThrow(/recorded against anthropic over openai-responses \(model claude-haiku-4-5\).*configured: openai \(openai-chat\), claude \(anthropic-messages\).*type openai-responses/);
  });
});

describe('the case query is the user\'s question', () => {
  const t = (input: unknown) => trace([span({ spanId: 'root', attributes: { 'traceloop.span.kind': 'workflow', 'traceloop.entity.input': JSON.stringify(input) } })]);
  const rendered = [{ role: 'user' as const, content: 'Context:\n[kb-1] …\n\nQuestion: Where is my order?' }];

  it('from the root input: OpenLLMetry args, question-like keys', () => {
    expect(caseQuery(t({ args: ['Where is my order?'], kwargs: {} }), rendered)).toBe('Where is my order?');
    expect(caseQuery(t({ question: 'Where is my order?' }), rendered)).toBe('Where is my order?');
    expect(caseQuery(t({ args: ['u-42', 'Where is my order?'], kwargs: {} }), rendered)).toBe('Where is my order?');
  });

  it('from template variables first, else the labelled question in the rendered message', () => {
    expect(caseQuery(t({}), rendered, { question: 'Q from vars' })).toBe('Q from vars');
    expect(caseQuery(trace([]), rendered)).toBe('Where is my order?');
  });
});

describe('a trace whose model call was dropped', () => {
  it('borrows model, API, parameters, tools and system prompt from a trace that rendered the same template', () => {
    const prompt = (id: string) => span({ spanId: `${id}-p`, name: 'render_prompt', attributes: { 'app.prompt.name': 'answer', 'app.prompt.rendered': 'Question: Hi?' } });
    const ok = trace([prompt('a'), span({ spanId: 'a-c', name: 'chat', kind: 'client', startTimeMs: 1, attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.request.temperature': 0,
      'gen_ai.input.messages': JSON.stringify([{ role: 'system', parts: [{ type: 'text', content: 'Sys' }] }, { role: 'user', parts: [{ type: 'text', content: 'Question: Hi?' }] }]) } })]);
    const failed = buildTrace({ traceId: 't2', origin: { format: 'otlp-json' }, spans: [prompt('b')] });
    const drafts = [ok, failed].map((t) => caseFromTrace(t, { capturedAt: 'now', toolVersion: 'x' }));
    expect(drafts[1]!.input.model).toBeUndefined();
    const [, borrowed] = borrowMissingCalls(drafts);
    expect(borrowed!.input).toMatchObject({ model: 'gpt-4o-mini', provider: 'openai', api: 'openai-chat', params: { temperature: 0 }, callFrom: 't1' });
    expect(borrowed!.input.messages).toEqual([{ role: 'system', content: 'Sys' }, { role: 'user', content: 'Question: Hi?' }]);
    expect(borrowMissingCalls([drafts[1]!])[0]!.input.model).toBeUndefined();
  });
});

describe('provenance paths', () => {
  it('are relative to the repository; outside it only the file name; URLs kept', () => {
    expect(relativeLocation('/repo/traces/a.jsonl, /repo/b.jsonl', '/repo')).toBe('traces/a.jsonl, b.jsonl');
    expect(relativeLocation('/elsewhere/x.jsonl', '/repo')).toBe('x.jsonl');
    expect(relativeLocation('langsmith://proj', '/repo')).toBe('langsmith://proj');
  });
});

describe('content capture warning', () => {
  it('names the setting of the instrumentation that wrote the content-less spans', () => {
    const t = trace([span({ kind: 'client', scope: { name: '@opentelemetry/instrumentation-openai' }, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' } })]);
    expect(contentCaptureWarning(t)).toMatch(/OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    const oi = trace([span({ attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini' } })]);
    expect(contentCaptureWarning(oi)).toMatch(/OPENINFERENCE_HIDE_INPUTS/);
  });
});

describe('tool loop whose calls carry no content', () => {
  it('replays the first call (messages from the app span), not the content-less follow-up', () => {
    const sdk = (id: string, start: number) => span({
      spanId: id, parentSpanId: 'root', name: 'anthropic.messages.create', kind: 'client', startTimeMs: start, scope: { name: 'com.anthropic.sdk.typescript' },
      attributes: { 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-haiku-4-5', 'gen_ai.usage.output_tokens': 5 },
    });
    const t = trace([
      span({ spanId: 'root', name: 'agent', attributes: { 'gen_ai.operation.name': 'invoke_agent', 'input.value': 'Can I return it?' } }),
      span({ spanId: 'p', parentSpanId: 'root', name: 'render_prompt', startTimeMs: 1, attributes: { 'gen_ai.input.messages': messagesAttr } }),
      sdk('c1', 2),
      span({ spanId: 'tool', parentSpanId: 'root', name: 'execute_tool lookup', startTimeMs: 3, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }),
      sdk('c2', 4),
    ]);
    const c = caseFromTrace(t, { capturedAt: 'now', toolVersion: 'x' });
    expect(c.input.llmSpanId).toBe('c1');
    expect(c.input.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });
});
