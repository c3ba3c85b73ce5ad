import { describe, expect, it } from 'vitest';
import { diagnose, retrievalPopulation } from '../../src/diagnose/diagnose.js';
import type { Diagnosis } from '../../src/datasets/case.js';
import type { LlmStep, Span, SpanEvent, Step, Trace } from '../../src/traces/model.js';

interface SpanOpts {
  parent?: string;
  start?: number;
  end?: number;
  error?: string;
  attributes?: Span['attributes'];
  events?: SpanEvent[];
}

function span(id: string, name: string, step: Step | undefined, o: SpanOpts = {}): Span {
  const s: Span = {
    traceId: 't1',
    spanId: id,
    name,
    startTimeMs: o.start ?? 0,
    endTimeMs: o.end ?? (o.start ?? 0) + 100,
    status: o.error !== undefined ? { code: 'error', message: o.error } : { code: 'ok' },
    attributes: o.attributes ?? {},
    events: o.events ?? [],
    logs: [],
    resource: {},
    conventions: [],
  };
  if (o.parent !== undefined) s.parentSpanId = o.parent;
  if (step !== undefined) s.step = step;
  return s;
}

function trace(spans: Span[]): Trace {
  const sorted = [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs || a.spanId.localeCompare(b.spanId));
  return {
    traceId: 't1',
    origin: { format: 'test' },
    spans: sorted,
    startTimeMs: Math.min(...spans.map((s) => s.startTimeMs)),
    endTimeMs: Math.max(...spans.map((s) => s.endTimeMs)),
    status: spans.some((s) => s.status.code === 'error') ? 'error' : 'ok',
    tags: [],
    feedback: [],
    metadata: {},
  };
}

function llm(p: Partial<LlmStep> = {}): LlmStep {
  return { type: 'llm', provider: 'openai', model: 'gpt-4o-mini', params: {}, input: [], output: [], ...p };
}

const root = (end = 1000): Span => span('root', 'POST /chat', { type: 'chain', kind: 'server' }, { end });
const labels = (ds: Diagnosis[]): string[] => ds.map((d) => `${d.label}@${d.spanId}`);

describe('provider_error', () => {
  it('names a failed llm step with its error type', () => {
    const t = trace([root(), span('l1', 'chat gpt-4o-mini', llm({ error: { type: 'RateLimitError', message: '429 slow down' } }), { parent: 'root', error: '429' })]);
    const ds = diagnose(t);
    expect(labels(ds)).toEqual(['provider_error@l1']);
    expect(ds[0]?.reason).toContain('RateLimitError');
    expect(ds[0]?.spanName).toBe('chat gpt-4o-mini');
  });

  it('infers a missing llm call from a provider error on a span with nothing beneath', () => {
    const t = trace([
      root(),
      span('gen', 'generate_answer', { type: 'chain', kind: 'task' }, {
        parent: 'root',
        error: 'boom',
        events: [{ name: 'exception', timeMs: 1, attributes: { 'exception.type': 'openai.RateLimitError', 'exception.message': 'Rate limit reached' } }],
      }),
    ]);
    expect(labels(diagnose(t))).toEqual(['provider_error@gen']);
    expect(diagnose(t)[0]?.reason).toMatch(/no llm call was recorded/);
  });

  it('flags an unrecognised span that carries GenAI attributes and error.type', () => {
    const t = trace([span('x', 'openai.chat', undefined, { error: 'x', attributes: { 'gen_ai.request.model': 'gpt-4o', 'error.type': '500' } })]);
    expect(labels(diagnose(t))).toEqual(['provider_error@x']);
  });

  it('names the llm step, not its HTTP child, and catches a bare HTTP call to a model API', () => {
    const nested = trace([
      span('l1', 'chat', llm({ error: { type: '429', message: 'rate limited' } }), { error: '429', end: 500 }),
      span('h1', 'POST', undefined, { parent: 'l1', start: 10, error: '429', attributes: { 'server.address': 'api.openai.com' } }),
    ]);
    expect(labels(diagnose(nested))).toEqual(['provider_error@l1']);
    const bare = trace([root(), span('h1', 'POST', undefined, { parent: 'root', start: 10, error: '503', attributes: { 'url.full': 'https://api.anthropic.com/v1/messages' } })]);
    expect(labels(diagnose(bare))).toEqual(['provider_error@h1']);
    const otherHost = trace([root(), span('h1', 'POST', undefined, { parent: 'root', start: 10, error: '503', attributes: { 'url.full': 'https://crm.example.com/api' } })]);
    expect(diagnose(otherHost)).toEqual([]);
  });

  it('infers a missing second call when earlier calls beneath succeeded', () => {
    const t = trace([
      span('agent', 'agent', { type: 'chain', kind: 'agent' }, { end: 900, error: 'x', attributes: { 'error.type': 'anthropic.OverloadedError' } }),
      span('l1', 'chat', llm({ finishReason: 'tool_calls' }), { parent: 'agent', start: 10 }),
    ]);
    expect(labels(diagnose(t))).toEqual(['provider_error@agent']);
  });

  it('reads an SDK "<status> <body>" error on a span with no model call beneath as the missing call (Langfuse agent root)', () => {
    const agent = (message: string, children: Span[] = []): Trace =>
      trace([span('agent', 'failing-call', { type: 'chain', kind: 'agent', error: { message } }, { end: 900, error: message }), ...children]);
    expect(labels(diagnose(agent('500 Injected 500 from the fake provider')))).toEqual(['provider_error@agent']);
    expect(labels(diagnose(agent('529 {"type":"error","error":{"type":"api_error"}}')))).toEqual(['provider_error@agent']);
    expect(diagnose(agent('404 Not Found'))).toEqual([]);
    expect(diagnose(agent('Order 500 not found'))).toEqual([]);
    const withCall = agent('500 Internal Server Error', [span('l1', 'chat', llm(), { parent: 'agent', start: 10 })]);
    expect(diagnose(withCall)).toEqual([]);
  });

  it('does not blame the provider for an application error or a parent of a failed llm call', () => {
    const appError = trace([root(), span('gen', 'generate_answer', { type: 'chain' }, { parent: 'root', error: 'KeyError: user_id', attributes: { 'error.type': 'KeyError' } })]);
    expect(diagnose(appError)).toEqual([]);
    const parentOfLlm = trace([
      span('gen', 'generate_answer', { type: 'chain' }, { error: 'openai.RateLimitError', end: 500 }),
      span('l1', 'chat', llm({ error: { type: 'RateLimitError', message: 'x' } }), { parent: 'gen', start: 10, error: 'x' }),
    ]);
    expect(labels(diagnose(parentOfLlm))).toEqual(['provider_error@l1']);
  });
});

describe('tool_error', () => {
  it('flags a tool step with an error', () => {
    const t = trace([root(), span('tool', 'execute_tool lookup_order', { type: 'tool', name: 'lookup_order', error: { type: 'NotFound', message: 'order 9 missing' } }, { parent: 'root' })]);
    const ds = diagnose(t);
    expect(labels(ds)).toEqual(['tool_error@tool']);
    expect(ds[0]?.reason).toContain('lookup_order');
  });

  it('flags a tool span with only an error status', () => {
    const t = trace([span('tool', 'refund', { type: 'tool', name: 'issue_refund' }, { error: 'timeout' })]);
    expect(labels(diagnose(t))).toEqual(['tool_error@tool']);
  });

  it('ignores a tool whose result merely mentions an error', () => {
    const t = trace([span('tool', 'lookup', { type: 'tool', name: 'lookup_order', result: { error_rate: 0, status: 'shipped' } })]);
    expect(diagnose(t)).toEqual([]);
  });
});

describe('truncated', () => {
  it.each(['length', 'MAX_TOKENS', 'max_tokens', 'Length'])('flags finish reason %s', (reason) => {
    const t = trace([span('l1', 'chat', llm({ finishReason: reason }))]);
    expect(labels(diagnose(t))).toEqual(['truncated@l1']);
  });

  it('flags output tokens equal to the requested max tokens', () => {
    const t = trace([span('l1', 'chat', llm({ params: { maxTokens: 256 }, usage: { outputTokens: 256 } }))]);
    expect(diagnose(t)[0]?.reason).toContain('256');
    expect(labels(diagnose(t))).toEqual(['truncated@l1']);
  });

  it('leaves a long answer that stopped naturally alone', () => {
    const long = 'word '.repeat(2000);
    const t = trace([
      span('l1', 'chat', llm({ finishReason: 'stop', params: { maxTokens: 4096 }, usage: { outputTokens: 2500 }, output: [{ role: 'assistant', content: long }] })),
      span('l2', 'chat', llm({ finishReason: 'end_turn', params: { maxTokens: 100 }, usage: { outputTokens: 100 } }), { start: 200 }),
      span('l3', 'chat', llm({ params: { maxTokens: 100 }, usage: { outputTokens: 99 } }), { start: 400 }),
    ]);
    expect(diagnose(t)).toEqual([]);
  });
});

describe('parser_fallback', () => {
  it('flags a parse step that fell back', () => {
    const t = trace([span('p', 'parse', { type: 'parse', input: 'not json', output: { intent: 'unknown' }, fallback: true })]);
    const ds = diagnose(t);
    expect(labels(ds)).toEqual(['parser_fallback@p']);
    expect(ds[0]?.reason).toContain('unknown');
  });

  it('flags a parse error that still produced an output', () => {
    const t = trace([span('p', 'parse', { type: 'parse', output: {}, fallback: false, error: { message: 'Unexpected token' } })]);
    expect(labels(diagnose(t))).toEqual(['parser_fallback@p']);
  });

  it('leaves a clean parse and an error without output alone', () => {
    const t = trace([
      span('p1', 'parse', { type: 'parse', input: '{"a":1}', output: { a: 1 }, fallback: false }),
      span('p2', 'parse', { type: 'parse', fallback: false, error: { message: 'bad' } }, { start: 200 }),
    ]);
    expect(diagnose(t)).toEqual([]);
  });
});

describe('retrieval', () => {
  it('flags empty retrieval', () => {
    const t = trace([span('r', 'retrieval kb', { type: 'retrieval', query: 'refund policy', documents: [] })]);
    expect(labels(diagnose(t))).toEqual(['empty_retrieval@r']);
  });

  it('flags low relevance below a configured minScore and states the best score', () => {
    const t = trace([span('r', 'retrieval kb', { type: 'retrieval', documents: [{ id: 'a', score: 0.31 }, { id: 'b', score: 0.42 }] })]);
    const ds = diagnose(t, { retrieval: { minScore: 0.5 } });
    expect(labels(ds)).toEqual(['low_relevance_retrieval@r']);
    expect(ds[0]?.reason).toContain('0.42');
  });

  it('respects minScore and stays quiet without scores, with one good document, or with no bound and no population', () => {
    const low = trace([span('r', 'retrieval', { type: 'retrieval', documents: [{ id: 'a', score: 0.31 }] })]);
    expect(diagnose(low, { retrieval: { minScore: 0.3 } })).toEqual([]);
    expect(diagnose(low)).toEqual([]);
    const unscored = trace([span('r', 'retrieval', { type: 'retrieval', documents: [{ id: 'a', content: 'x' }] })]);
    expect(diagnose(unscored, { retrieval: { minScore: 0.5 } })).toEqual([]);
    const oneGood = trace([span('r', 'retrieval', { type: 'retrieval', documents: [{ id: 'a', score: 0.1 }, { id: 'b', score: 0.5 }] })]);
    expect(diagnose(oneGood, { retrieval: { minScore: 0.5 } })).toEqual([]);
  });
});

describe('retrieval relevance against the population', () => {
  const retrievalTrace = (id: string, scores: number[], store = 'kb'): Trace => {
    const t = trace([span('r', `retrieval ${store}`, { type: 'retrieval', store, documents: scores.map((score, i) => ({ id: `d${i}`, score })) })]);
    return { ...t, traceId: id };
  };
  const judge = (population: Trace[], t: Trace): string[] => labels(diagnose(t, { retrieval: { population: retrievalPopulation(population) } }));

  it('flags a best score far below the others from the same store (cosine similarities)', () => {
    const all = [0.82, 0.79, 0.85, 0.81, 0.77, 0.84, 0.8].map((b, i) => retrievalTrace(`t${i}`, [b, b - 0.1]));
    const off = retrievalTrace('off', [0.41, 0.38]);
    expect(judge([...all, off], off)).toEqual(['low_relevance_retrieval@r']);
    expect(diagnose(off, { retrieval: { population: retrievalPopulation([...all, off]) } })[0]?.reason).toMatch(/outlier among 8 retrievals from "kb"/);
    for (const t of all) expect(judge([...all, off], t)).toEqual([]);
  });

  it('stays quiet on the refund bot\'s keyword-overlap scores, where a right answer scores 0.33', () => {
    const bests = [0.333, 1, 0.5, 0.667, 0.4, 0.5];
    const all = bests.map((b, i) => retrievalTrace(`t${i}`, [b, b / 2]));
    for (const t of all) expect(judge(all, t)).toEqual([]);
  });

  it('mirrors the rule for distances (scores listed in ascending order)', () => {
    const all = [0.2, 0.25, 0.18, 0.22, 0.21, 0.24].map((b, i) => retrievalTrace(`t${i}`, [b, b + 0.1, b + 0.2]));
    const far = retrievalTrace('far', [0.9, 1.1]);
    expect(judge([...all, far], far)).toEqual(['low_relevance_retrieval@r']);
    const near = retrievalTrace('near', [0.05, 0.3]);
    expect(judge([...all, near], near)).toEqual([]);
  });

  it('does not judge with too small a population or against another store', () => {
    const few = [0.8, 0.82, 0.1].map((b, i) => retrievalTrace(`t${i}`, [b]));
    expect(judge(few, few[2]!)).toEqual([]);
    const others = [0.8, 0.82, 0.85, 0.81, 0.83, 0.84].map((b, i) => retrievalTrace(`t${i}`, [b], 'faq'));
    const lone = retrievalTrace('lone', [0.1], 'kb');
    expect(judge([...others, lone], lone)).toEqual([]);
  });
});

describe('slow_step', () => {
  it('flags a step above the absolute limit', () => {
    const t = trace([root(30_000), span('l1', 'chat', llm(), { parent: 'root', start: 100, end: 12_100 }), span('t', 'tool', { type: 'tool', name: 'x' }, { parent: 'root', start: 12_200, end: 12_300 })]);
    const ds = diagnose(t);
    expect(labels(ds)).toEqual(['slow_step@l1']);
    expect(ds[0]?.reason).toContain('12.0 s');
  });

  it('flags a step far above the median of its type', () => {
    const t = trace([
      root(5_000),
      span('l1', 'chat', llm(), { parent: 'root', start: 0, end: 400 }),
      span('l2', 'chat', llm(), { parent: 'root', start: 500, end: 900 }),
      span('l3', 'chat', llm(), { parent: 'root', start: 1000, end: 3_600 }),
      span('l4', 'chat', llm(), { parent: 'root', start: 3_700, end: 4_100 }),
    ]);
    expect(labels(diagnose(t))).toEqual(['slow_step@l3']);
  });

  it('flags a non-root step taking most of a long trace', () => {
    const t = trace([root(8_000), span('r', 'retrieval', { type: 'retrieval', documents: [{ id: 'a' }] }, { parent: 'root', start: 100, end: 6_000 })]);
    expect(diagnose(t)[0]?.reason).toMatch(/74% of the 8\.0 s trace/);
  });

  it('does not flag evenly slow steps, short outliers, wrappers or short traces', () => {
    const even = trace([root(9_000), ...[0, 1, 2].map((i) => span(`l${i}`, 'chat', llm(), { parent: 'root', start: i * 3000, end: i * 3000 + 2900 }))]);
    expect(diagnose(even)).toEqual([]);
    const shortOutlier = trace([root(2_000), ...[0, 1, 2].map((i) => span(`l${i}`, 'chat', llm(), { parent: 'root', start: i * 500, end: i * 500 + (i === 2 ? 1500 : 50) }))]);
    expect(diagnose(shortOutlier)).toEqual([]);
    const wrapper = trace([root(4_000), span('agent', 'agent', { type: 'chain', kind: 'agent' }, { parent: 'root', end: 3_900 })]);
    expect(diagnose(wrapper)).toEqual([]);
  });

  it('reports only the innermost of nested slow steps', () => {
    const t = trace([
      root(20_000),
      span('tool', 'ask_expert', { type: 'tool', name: 'ask_expert' }, { parent: 'root', start: 0, end: 15_000 }),
      span('l1', 'chat', llm(), { parent: 'tool', start: 10, end: 14_900 }),
    ]);
    expect(labels(diagnose(t))).toEqual(['slow_step@l1']);
  });
});

describe('ordering and options', () => {
  it('orders findings by span start and filters labels', () => {
    const t = trace([
      span('p', 'parse', { type: 'parse', output: {}, fallback: true }, { start: 500 }),
      span('r', 'retrieval', { type: 'retrieval', documents: [] }, { start: 0 }),
      span('l', 'chat', llm({ finishReason: 'length' }), { start: 200 }),
    ]);
    expect(labels(diagnose(t))).toEqual(['empty_retrieval@r', 'truncated@l', 'parser_fallback@p']);
    expect(labels(diagnose(t, { labels: ['truncated'] }))).toEqual(['truncated@l']);
  });

  it('finds nothing in a healthy trace', () => {
    const t = trace([
      root(2_000),
      span('r', 'retrieval', { type: 'retrieval', documents: [{ id: 'kb1', score: 0.82, content: 'Refunds are issued within 5 days.' }] }, { parent: 'root', start: 10, end: 200 }),
      span('l', 'chat', llm({ finishReason: 'stop', input: [{ role: 'user', content: 'How long do refunds take?' }], output: [{ role: 'assistant', content: 'About 5 days.' }] }), { parent: 'root', start: 210, end: 1_500 }),
    ]);
    expect(diagnose(t)).toEqual([]);
  });
});

describe('provider_error when the failed call was never exported', () => {
  it('reads the exception stack: raised inside the provider SDK', async () => {
    const { diagnose } = await import('../../src/diagnose/diagnose.js');
    const { buildTrace } = await import('../../src/traces/build.js');
    const span = (over: Record<string, unknown>) => ({
      traceId: 't1', spanId: 'a', name: 'agent', startTimeMs: 0, endTimeMs: 50,
      status: { code: 'error' as const, message: '500 Injected 500' }, attributes: { 'gen_ai.operation.name': 'invoke_agent' },
      events: [] as Array<{ name: string; timeMs: number; attributes: Record<string, string> }>, logs: [], resource: {}, ...over,
    });
    const stack = 'Error: 500 Injected 500\n    at Function.generate (/app/node_modules/openai/src/core/error.ts:101:14)';
    const fromSdk = buildTrace({ traceId: 't1', origin: { format: 'test' }, spans: [span({ events: [{ name: 'exception', timeMs: 40, attributes: { 'exception.type': 'Error', 'exception.message': '500 Injected 500', 'exception.stacktrace': stack } }] })] });
    expect(diagnose(fromSdk).map((d) => d.label)).toEqual(['provider_error']);
    const elsewhere = buildTrace({ traceId: 't1', origin: { format: 'test' }, spans: [span({ events: [{ name: 'exception', timeMs: 40, attributes: { 'exception.type': 'Error', 'exception.message': '500 upstream', 'exception.stacktrace': 'Error: 500 upstream\n    at handler (/app/src/db.ts:10:3)' } }] })] });
    expect(diagnose(elsewhere)).toEqual([]);
  });
});
