/** answer-relevance and context-relevance, judged by the fake provider over HTTP (official openai SDK). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStep } from '../../src/datasets/case.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { createOpenAiChatProvider } from '../../src/providers/openai-chat.js';
import type { Provider } from '../../src/providers/provider.js';
import { makeCase, score } from './evaluators-helpers.js';

let fake: FakeProvider;
let judge: Provider;

const retrieval = (id: string, content: string): CaseStep => ({
  spanId: id, name: 'retrieve', offsetMs: 0, durationMs: 1, status: 'ok',
  step: { type: 'retrieval', documents: [{ id, content }] },
});

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      // answer relevance: on-topic answer vs an evasive one
      { when: { system: 'strict evaluator', anyText: 'Answer relevance[\\s\\S]*Answer to grade:\\s+Refunds take' }, reply: { content: '{"score": 0.95, "reason": "answers the refund question"}' } },
      { when: { system: 'strict evaluator', anyText: 'Answer relevance[\\s\\S]*Answer to grade:\\s+Our store' }, reply: { content: 'Here you go: {"score": 0.05, "reason": "talks about opening hours"}' } },
      { when: { system: 'strict evaluator', anyText: 'Answer relevance[\\s\\S]*Answer to grade:\\s+Ten' }, reply: { content: '{"score": 10, "reason": "out of ten"}' } },
      // context relevance: refund docs vs shipping docs
      { when: { system: 'strict evaluator', anyText: 'Context relevance[\\s\\S]*\\(kb-refunds\\)' }, reply: { content: '{"score": 1, "reason": "the refund policy"}' } },
      { when: { system: 'strict evaluator', anyText: 'Context relevance[\\s\\S]*\\(kb-shipping\\)' }, reply: { content: '{"score": 0.1, "reason": "about shipping"}' } },
    ],
  });
  judge = createOpenAiChatProvider({ name: 'local', apiKey: 'k', baseUrl: `${fake.url}/v1` });
});
afterAll(() => fake.close());

describe('answer-relevance', () => {
  it('passes an answer that addresses the question, without reading the reference', async () => {
    const r = await score({ type: 'answer-relevance' }, { output: 'Refunds take 5-7 business days.' }, makeCase(), { provider: () => judge });
    expect(r).toMatchObject({ pass: true, score: 0.95, readReference: false });
    expect(r.reason).toBe('answer relevance 0.95: answers the refund question');
    expect(JSON.stringify(fake.requests.at(-1)?.body)).toContain('how long do refunds take?');
  });

  it('fails an evasive answer; a score outside 0..1 is an error, never clamped', async () => {
    expect(await score({ type: 'answer-relevance' }, { output: 'Our store opens at nine.' }, makeCase(), { provider: () => judge })).toMatchObject({ pass: false, score: 0.05 });
    await expect(score({ type: 'answer-relevance' }, { output: 'Ten out of ten.' }, makeCase(), { provider: () => judge })).rejects.toThrow(/outside 0\.\.1/);
    expect((await score({ type: 'answer-relevance', threshold: 0.99 }, { output: 'Refunds take 5 days.' }, makeCase(), { provider: () => judge })).pass).toBe(false);
  });
});

describe('context-relevance', () => {
  it('grades the recorded retrieval, or the candidate\'s own when it re-ran one', async () => {
    const c = makeCase({ context: { steps: [retrieval('kb-refunds', 'Refunds are issued within 5-7 business days.')] } });
    const rec = await score({ type: 'context-relevance' }, { output: 'x' }, c, { provider: () => judge });
    expect(rec).toMatchObject({ pass: true, score: 1, readReference: false });
    expect(rec.reason).toContain('the recorded retrieval');
    const drifted = await score({ type: 'context-relevance' }, { output: 'x', steps: [retrieval('kb-shipping', 'Parcels ship in 2 days.')] }, c, { provider: () => judge });
    expect(drifted).toMatchObject({ pass: false, score: 0.1 });
    expect(drifted.reason).toContain('the candidate\'s retrieval');
  });

  it('scores 1 without a call when nothing was retrieved', async () => {
    const before = fake.stats.total;
    expect(await score({ type: 'context-relevance' }, { output: 'x' }, makeCase(), { provider: () => judge })).toMatchObject({ pass: true, score: 1 });
    expect(fake.stats.total).toBe(before);
  });
});
