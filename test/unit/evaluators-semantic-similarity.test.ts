import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/evaluators/builtin/semantic-similarity.js';
import { fakeEmbedding, renderEmbeddings } from '../../src/fake-provider/embeddings.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import { createOpenAiChatProvider } from '../../src/providers/openai-chat.js';
import { createOpenAiResponsesProvider } from '../../src/providers/openai-responses.js';
import type { Provider } from '../../src/providers/provider.js';
import { makeCase, score } from './evaluators-helpers.js';

let fake: FakeProvider;
let chat: Provider;

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [] });
  chat = createOpenAiChatProvider({ name: 'local', apiKey: 'k', baseUrl: `${fake.url}/v1` });
});
afterAll(() => fake.close());

describe('fake embeddings', () => {
  it('are deterministic unit vectors: shared words close, unrelated texts orthogonal', () => {
    const a = fakeEmbedding('Refunds are issued within 5-7 business days.');
    expect(fakeEmbedding('Refunds are issued within 5-7 business days.')).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 9);
    const para = cosine(a, fakeEmbedding('Your refunds are issued in 5-7 business days'));
    const other = cosine(a, fakeEmbedding('The weather in Oslo is sunny'));
    expect(para).toBeGreaterThan(0.8);
    expect(other).toBeLessThan(0.2);
    expect(renderEmbeddings({ model: 'm', input: [] })).toMatchObject({ ok: false });
    expect(renderEmbeddings({ input: 'x' })).toMatchObject({ ok: false, message: expect.stringContaining('model') });
  });

  it('are served on POST /v1/embeddings through the official openai SDK, by both OpenAI providers', async () => {
    const r = await chat.embed!(['hello world', 'goodbye'], 'text-embedding-3-small');
    expect(r.vectors).toEqual([fakeEmbedding('hello world'), fakeEmbedding('goodbye')]);
    expect(r.model).toBe('text-embedding-3-small');
    expect(r.usage?.inputTokens).toBe(3);
    const responses = createOpenAiResponsesProvider({ name: 'r', apiKey: 'k', baseUrl: `${fake.url}/v1` });
    expect((await responses.embed!(['hi'], 'e')).vectors[0]).toEqual(fakeEmbedding('hi'));
    expect(createAnthropicProvider({ name: 'a', apiKey: 'k', baseUrl: fake.url }).embed).toBeUndefined();
  });

  it('rejects a malformed request with a 400 the SDK reports', async () => {
    await expect(chat.embed!([], 'm')).rejects.toMatchObject({ info: { type: 'bad_request', status: 400 } });
  });
});

describe('semantic-similarity', () => {
  const providers = () => chat;
  const c = makeCase({ recorded: { output: 'Refunds are issued within 5-7 business days.', latencyMs: 1, status: 'ok' } } as never);

  it('passes a paraphrase and reads the reference', async () => {
    const r = await score({ type: 'semantic-similarity' }, { output: 'Your refunds are issued in 5-7 business days' }, c, { provider: providers });
    const expected = Math.round(cosine(fakeEmbedding('Your refunds are issued in 5-7 business days'), fakeEmbedding('Refunds are issued within 5-7 business days.')) * 1000) / 1000;
    expect(r).toMatchObject({ pass: true, score: expected, readReference: true });
    expect(r.reason).toContain('recorded output');
    expect(r.reason).toContain('text-embedding-3-small');
  });

  it('fails an unrelated answer, and honours threshold and model', async () => {
    const r = await score({ type: 'semantic-similarity' }, { output: 'The weather in Oslo is sunny' }, c, { provider: providers });
    expect(r.pass).toBe(false);
    expect(r.score).toBeLessThan(0.2);
    const strict = await score({ type: 'semantic-similarity', threshold: 0.99, model: 'emb-x' }, { output: 'Your refunds are issued in 5-7 business days' }, c, { provider: providers });
    expect(strict.pass).toBe(false);
    expect(fake.requests.at(-1)?.body).toMatchObject({ model: 'emb-x' });
  });

  it('scores an empty output 0 without a call, and errors clearly on a provider without embeddings', async () => {
    const before = fake.stats.total;
    expect(await score({ type: 'semantic-similarity' }, { output: null }, c, { provider: providers })).toMatchObject({ score: 0, pass: false });
    expect(fake.stats.total).toBe(before);
    const anthropic = createAnthropicProvider({ name: 'claude', apiKey: 'k', baseUrl: fake.url });
    await expect(score({ type: 'semantic-similarity' }, { output: 'x' }, c, { provider: () => anthropic })).rejects.toThrow(/provider "claude" \(anthropic-messages\) has no embeddings endpoint/);
  });

  it('rejects a bad option at config time', async () => {
    await expect(score({ type: 'semantic-similarity', threshold: 2 }, { output: 'x' }, c, { provider: providers })).rejects.toThrow(/threshold/);
  });
});

describe('embedding prices', () => {
  it('the default embedding model is priced, so its calls do not make the spend unknown', async () => {
    const { costOf, mergePricing } = await import('../../src/providers/pricing.js');
    expect(costOf('text-embedding-3-small', { inputTokens: 1_000_000, outputTokens: 0 }, mergePricing())).toBeCloseTo(0.02, 9);
  });
});
