/**
 * The contract every TraceSource passes on the shared scenario (scenario.ts): reading all
 * traces, the RAG tree with its steps, errors, feedback, and each TraceQuery filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import type { Step } from '../../src/traces/model.js';
import type { RawTrace, SourceSpan, TraceQuery, TraceSource } from '../../src/traces/sources/source.js';
import { HOUR, SCENARIO, T0, type ScenarioTrace } from './scenario.js';

/** What a source's test provides to the contract. */
export interface ContractFixture {
  source: TraceSource;
  /** The source's trace id for each scenario trace. */
  ids: Record<ScenarioTrace['key'], string>;
  /** Attributes each RAG span (by scenario key) must carry when `steps` is false. */
  attributes?: Record<string, Record<string, unknown>>;
  close?: () => Promise<void>;
}

async function collect(source: TraceSource, query?: TraceQuery): Promise<RawTrace[]> {
  const out: RawTrace[] = [];
  for await (const t of source.traces(query)) out.push(t);
  return out;
}

function spanNamed(t: RawTrace, name: string): SourceSpan {
  const s = t.spans.find((x) => x.name === name);
  if (!s) throw new Error(`no span named ${name} in ${t.spans.map((x) => x.name).join(', ')}`);
  return s;
}

function stepOf<T extends Step['type']>(span: SourceSpan, type: T): Extract<Step, { type: T }> {
  expect(span.step?.type).toBe(type);
  return span.step as Extract<Step, { type: T }>;
}

/** What a source can do, known when the suite is declared. */
export interface ContractCaps {
  /** The source records feedback (scores) and trace facts (user, session, tags) itself. */
  feedback: boolean;
  /** The source sets typed `step`s itself (else conventions do, and `attributes` are checked). */
  steps: boolean;
}

/** Registers the contract suite for one source. `setup` runs once before the tests. */
export function describeTraceSourceContract(name: string, caps: ContractCaps, setup: () => Promise<ContractFixture>): void {
  describe(`TraceSource contract: ${name}`, () => {
    let fx: ContractFixture;
    beforeAll(async () => {
      fx = await setup();
    });
    afterAll(async () => {
      await fx?.close?.();
    });
    const rag = SCENARIO[0] as ScenarioTrace;

    it('reads every trace once, fully assembled', async () => {
      const traces = await collect(fx.source);
      expect(traces.map((t) => t.traceId).sort()).toEqual(Object.values(fx.ids).map((id) => id.toLowerCase()).sort());
      expect(fx.source.stats.records).toBeGreaterThan(0);
      expect(fx.source.stats.skipped).toBe(0);
      const ragTrace = traces.find((t) => t.traceId === fx.ids.rag.toLowerCase()) as RawTrace;
      expect(ragTrace.spans).toHaveLength(rag.spans.length);
      expect(ragTrace.origin.format).toBe(fx.source.format);
    });

    it('keeps the RAG tree: one root, children pointing at it, times in ms', async () => {
      const [t] = await collect(fx.source, { traceIds: [fx.ids.rag] });
      if (!t) throw new Error('RAG trace missing');
      const ids = new Set(t.spans.map((s) => s.spanId));
      const roots = t.spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
      expect(roots).toHaveLength(1);
      const root = roots[0] as SourceSpan;
      expect(root.name).toBe('answer');
      for (const n of ['retrieve', 'chat gpt-4o-mini', 'lookup_order']) expect(spanNamed(t, n).parentSpanId).toBe(root.spanId);
      expect(root.startTimeMs).toBeCloseTo(T0, 0);
      expect(spanNamed(t, 'chat gpt-4o-mini').endTimeMs - spanNamed(t, 'chat gpt-4o-mini').startTimeMs).toBeCloseTo(600, 0);
      for (let i = 1; i < t.spans.length; i++) expect(t.spans[i]!.startTimeMs).toBeGreaterThanOrEqual(t.spans[i - 1]!.startTimeMs);
    });

    it('exposes retrieval, llm and tool content', async () => {
      const [t] = await collect(fx.source, { traceIds: [fx.ids.rag] });
      if (!t) throw new Error('RAG trace missing');
      if (caps.steps) {
        const r = stepOf(spanNamed(t, 'retrieve'), 'retrieval');
        expect(r.documents.map((d) => d.content)).toEqual(['Refunds are accepted within 30 days.', 'Shipping takes 5 days.']);
        expect(r.documents[0]?.score).toBeCloseTo(0.91);
        const l = stepOf(spanNamed(t, 'chat gpt-4o-mini'), 'llm');
        expect(l.model).toBe('gpt-4o-mini');
        expect(l.params.temperature).toBe(0.2);
        expect(l.input.map((m) => m.role)).toEqual(['system', 'user']);
        expect(l.input[0]?.content).toBe('Answer from the policy: {"max_days":30}');
        expect(l.output[0]).toMatchObject({ role: 'assistant', content: 'Yes, within 30 days.' });
        expect(l.usage).toMatchObject({ inputTokens: 52, outputTokens: 9 });
        const tool = stepOf(spanNamed(t, 'lookup_order'), 'tool');
        expect(tool.name).toBe('lookup_order');
        expect(tool.arguments).toEqual({ order_id: 'A1' });
        expect(tool.result).toEqual({ status: 'shipped' });
      } else {
        const byKey: Record<string, string> = { retrieve: 'retrieve', chat: 'chat gpt-4o-mini', lookup: 'lookup_order' };
        for (const [key, attrs] of Object.entries(fx.attributes ?? {})) expect(spanNamed(t, byKey[key] ?? key).attributes).toMatchObject(attrs);
        expect(Object.keys(fx.attributes ?? {})).not.toHaveLength(0);
      }
    });

    it('marks the failed step of the errored trace', async () => {
      const [t] = await collect(fx.source, { traceIds: [fx.ids.errored] });
      const chat = spanNamed(t as RawTrace, 'chat gpt-4o-mini');
      expect(chat.status.code).toBe('error');
      expect(chat.status.message).toContain('rate limited');
      if (caps.steps) expect(chat.step && 'error' in chat.step ? chat.step.error?.message : undefined).toContain('rate limited');
      const [ok] = await collect(fx.source, { traceIds: [fx.ids.plain] });
      expect(ok?.spans.every((s) => s.status.code !== 'error')).toBe(true);
    });

    it.runIf(caps.feedback)('carries feedback and trace facts', async () => {
      const [t] = await collect(fx.source, { traceIds: [fx.ids.rag] });
      expect(t?.feedback).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'thumbs', score: 1, comment: 'helpful' })]));
      expect(t?.userId).toBe('user-1');
      expect(t?.sessionId).toBe('sess-1');
      expect(t?.tags).toEqual(expect.arrayContaining(['prod', 'refunds']));
    });

    it('selects by trace id, case-insensitively', async () => {
      const traces = await collect(fx.source, { traceIds: [fx.ids.errored.toUpperCase()] });
      expect(traces.map((t) => t.traceId)).toEqual([fx.ids.errored.toLowerCase()]);
    });

    it('filters by since/until on the trace start', async () => {
      const later = await collect(fx.source, { since: new Date(T0 + HOUR) });
      expect(later.map((t) => t.traceId).sort()).toEqual([fx.ids.errored, fx.ids.plain].map((s) => s.toLowerCase()).sort());
      const earlier = await collect(fx.source, { until: new Date(T0 + HOUR) });
      expect(earlier.map((t) => t.traceId)).toEqual([fx.ids.rag.toLowerCase()]);
      const window = await collect(fx.source, { since: new Date(T0 + 30 * 60_000), until: new Date(T0 + 90 * 60_000) });
      expect(window.map((t) => t.traceId)).toEqual([fx.ids.errored.toLowerCase()]);
    });

    it('stops after limit', async () => {
      const two = await collect(fx.source, { limit: 2 });
      expect(two).toHaveLength(2);
      expect(new Set(two.map((t) => t.traceId)).size).toBe(2);
    });

    it('throws NotFoundError naming a missing trace id', async () => {
      const missing = 'ffffffffffffffffffffffffffffff01';
      const err = await collect(fx.source, { traceIds: [fx.ids.rag, missing] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as Error).message).toContain(missing);
    });
  });
}
