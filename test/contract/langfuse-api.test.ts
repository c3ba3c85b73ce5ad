import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { LangfuseApiSource } from '../../src/traces/sources/langfuse-api.js';
import { startFakeLangfuse } from '../support/fake-langfuse-api.js';
import { SCENARIO, type ScenarioTrace } from './scenario.js';
import { langfuseTraceId, langfuseTraces } from './scenario-langfuse.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, langfuseTraceId(t)])) as Record<ScenarioTrace['key'], string>;

describeTraceSourceContract('langfuse-api (fake server, page size 1)', { feedback: true, steps: true }, async () => {
  const fake = await startFakeLangfuse(langfuseTraces());
  const source = new LangfuseApiSource({ baseUrl: fake.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', pageSize: 1 });
  return { source, ids, close: fake.close };
});

describe('langfuse-api specifics', () => {
  it('pages through the list and sends filters to the server', async () => {
    const fake = await startFakeLangfuse(langfuseTraces());
    try {
      const source = new LangfuseApiSource({ baseUrl: `${fake.url}/`, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', pageSize: 1, userId: 'user-1' });
      const got: string[] = [];
      for await (const t of source.traces({ tags: ['prod'] })) got.push(t.traceId);
      expect(got).toEqual([ids.rag]);
      const lists = fake.requests.filter((r) => r.startsWith('GET /api/public/traces?'));
      expect(lists.length).toBeGreaterThanOrEqual(1);
      expect(lists[0]).toContain('tags=prod');
      expect(lists[0]).toContain('userId=user-1');
      const all: string[] = [];
      for await (const t of new LangfuseApiSource({ baseUrl: fake.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', pageSize: 1 }).traces()) all.push(t.traceId);
      expect(fake.requests.filter((r) => r.includes('page=3'))).toHaveLength(1);
      expect(all).toEqual([ids.rag, ids.errored, ids.plain]);
    } finally {
      await fake.close();
    }
  });

  it('selects by score on the server: feedbackBelow asks /api/public/v2/scores, not the trace list', async () => {
    const docs = langfuseTraces();
    const errored = docs.find((d) => d.id === ids.errored)!;
    errored.scores = [{ id: 'score-low', traceId: errored.id, name: 'thumbs', value: 0, dataType: 'NUMERIC', source: 'ANNOTATION', comment: 'wrong', timestamp: errored.timestamp }];
    const fake = await startFakeLangfuse(docs);
    try {
      const source = new LangfuseApiSource({ baseUrl: fake.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', pageSize: 1 });
      const got: string[] = [];
      for await (const t of source.traces({ feedbackBelow: { value: 0.5, names: ['thumbs'] } })) got.push(t.traceId);
      expect(got).toEqual([ids.errored]);
      expect(fake.requests.some((r) => r.startsWith('GET /api/public/traces?'))).toBe(false);
      const scoreCalls = fake.requests.filter((r) => r.startsWith('GET /api/public/v2/scores?'));
      expect(scoreCalls[0]).toContain('operator=%3C');
      expect(scoreCalls[0]).toContain('value=0.5');
      expect(scoreCalls[0]).toContain('name=thumbs');
      expect(fake.requests.filter((r) => r.startsWith('GET /api/public/traces/'))).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it('turns a 401 into a ConfigError that names the key variables', async () => {
    const fake = await startFakeLangfuse(langfuseTraces());
    try {
      const source = new LangfuseApiSource({ baseUrl: fake.url, publicKey: 'pk-lf-test', secretKey: 'wrong' });
      const err = await (async () => {
        for await (const _ of source.traces()) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/401[\s\S]*LANGFUSE_SECRET_KEY/);
    } finally {
      await fake.close();
    }
  });

  it('maps a root-level trace to a root span with the trace input, and keeps metadata', async () => {
    const fake = await startFakeLangfuse(langfuseTraces());
    try {
      const source = new LangfuseApiSource({ baseUrl: fake.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' });
      const [t] = await (async () => {
        const out = [];
        for await (const x of source.traces({ traceIds: [ids.rag] })) out.push(x);
        return out;
      })();
      expect(t?.metadata).toEqual({ team: 'support', environment: 'default' });
      expect(t?.spans[0]?.step).toEqual({ type: 'chain', kind: 'trace', input: 'Can I get a refund for order A1?', output: 'Yes, within 30 days.' });
      const chat = t?.spans.find((s) => s.step?.type === 'llm');
      expect(chat?.step).toMatchObject({ params: { temperature: 0.2, extra: { max_tokens: 'Infinity' } } });
    } finally {
      await fake.close();
    }
  });
});
