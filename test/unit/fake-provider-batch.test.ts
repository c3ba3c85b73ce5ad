/**
 * The fake provider's batch APIs through the official SDKs (OpenAI Files + Batches,
 * Anthropic Message Batches), and evals' own batch adapters (`provider.batch`) on top of them:
 * in_progress then completed, replies from the same rules as live calls, one request erroring
 * and one batch expiring on demand.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { chunkBatch, type BatchItemResult } from '../../src/providers/batch.js';
import { createProvider } from '../../src/providers/registry.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let fake: FakeProvider;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [{ when: { user: 'refund' }, reply: { content: 'Refunds take 5-7 business days.' } }],
    // Batch 3 (in creation order) expires half-way; "explode" requests error.
    batch: { delayMs: 150, errorWhen: 'explode', expire: [3] },
  });
  openai = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'k', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: fake.url, apiKey: 'k', maxRetries: 0 });
});
afterAll(() => fake.close());

describe('fake OpenAI Batch API through the openai SDK', () => {
  it('uploads the input file, runs the batch, serves the output and error files', async () => {
    const lines = [
      { custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'fake-gpt', messages: [{ role: 'user', content: 'refund time?' }] } },
      { custom_id: 'b', method: 'POST', url: '/v1/chat/completions', body: { model: 'fake-gpt', messages: [{ role: 'user', content: 'explode now' }] } },
    ];
    const file = await openai.files.create({ file: await toFile(Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')), 'in.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch' });
    const created = await openai.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(created.status).toBe('in_progress');
    expect(created.request_counts?.total).toBe(2);
    await sleep(200);
    const done = await openai.batches.retrieve(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const out = (await (await openai.files.content(done.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ custom_id: 'a', response: { status_code: 200, body: { choices: [{ message: { content: 'Refunds take 5-7 business days.' } }] } } });
    const err = (await (await openai.files.content(done.error_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(err[0]).toMatchObject({ custom_id: 'b', response: { status_code: 500 } });
  });

  it('refuses an input line for another endpoint', async () => {
    const file = await openai.files.create({ file: await toFile(Buffer.from('{"custom_id":"x","method":"POST","url":"/v1/embeddings","body":{}}\n'), 'in.jsonl'), purpose: 'batch' });
    await expect(openai.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('fake Anthropic Message Batches through the @anthropic-ai/sdk', () => {
  it('runs a batch and streams its results', async () => {
    const created = await anthropic.messages.batches.create({
      requests: [
        { custom_id: 'one', params: { model: 'fake-claude', max_tokens: 50, messages: [{ role: 'user', content: 'refund please' }] } },
        { custom_id: 'two', params: { model: 'fake-claude', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] } },
      ],
    });
    expect(created.processing_status).toBe('in_progress');
    expect(created.results_url).toBeNull();
    await sleep(200);
    const done = await anthropic.messages.batches.retrieve(created.id);
    expect(done.processing_status).toBe('ended');
    expect(done.request_counts).toMatchObject({ succeeded: 2, errored: 0, processing: 0 });
    const results = [];
    for await (const r of await anthropic.messages.batches.results(created.id)) results.push(r);
    expect(results.map((r) => r.custom_id)).toEqual(['one', 'two']);
    expect(results[0]!.result).toMatchObject({ type: 'succeeded', message: { content: [{ type: 'text', text: 'Refunds take 5-7 business days.' }] } });
  });
});

describe('evals batch adapters (provider.batch) against the fake', () => {
  const collect = async (it: AsyncIterable<BatchItemResult>): Promise<BatchItemResult[]> => {
    const out: BatchItemResult[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  const req = (content: string) => ({ model: 'fake-claude', messages: [{ role: 'user' as const, content }], params: { maxTokens: 40 } });

  it('anthropic: an expired batch leaves its second half unfinished; errors are per request', async () => {
    const p = createProvider({ name: 'claude', type: 'anthropic', baseUrl: fake.url, apiKey: 'k' });
    // This is the third batch of the server: it expires.
    const id = await p.batch!.submit([
      { customId: 'r1', request: req('refund?') },
      { customId: 'r2', request: req('explode') },
      { customId: 'r3', request: req('a') },
      { customId: 'r4', request: req('b') },
    ]);
    expect((await p.batch!.status(id)).state).toBe('running');
    await sleep(200);
    const st = await p.batch!.status(id);
    expect(st).toMatchObject({ state: 'ended', counts: { total: 4, succeeded: 1, errored: 1, processing: 0 } });
    const items = await collect(p.batch!.results(id));
    expect(items.map((i) => [i.customId, i.kind])).toEqual([['r1', 'succeeded'], ['r2', 'errored'], ['r3', 'unfinished'], ['r4', 'unfinished']]);
    expect(items[0]).toMatchObject({ response: { content: 'Refunds take 5-7 business days.', finishReason: 'stop', latencyMs: 0 } });
    expect(items[1]).toMatchObject({ error: { type: 'server' } });
  });

  it('openai chat and responses: submit, poll, results mapped to LlmResponse', async () => {
    for (const type of ['openai', 'openai-responses'] as const) {
      const p = createProvider({ name: 'o', type, baseUrl: `${fake.url}/v1`, apiKey: 'k' });
      const id = await p.batch!.submit([{ customId: 'q', request: { ...req('refund'), model: 'fake-gpt' } }]);
      await sleep(200);
      expect((await p.batch!.status(id)).state).toBe('ended');
      const [item] = await collect(p.batch!.results(id));
      expect(item).toMatchObject({ customId: 'q', kind: 'succeeded', response: { content: 'Refunds take 5-7 business days.', model: 'fake-gpt' } });
    }
  });

  it('counts every batch created', () => {
    expect(fake.batches.created).toBe(5);
  });
});

describe('chunkBatch', () => {
  it('splits by request count and by bytes, keeping order', () => {
    expect(chunkBatch([1, 2, 3, 4, 5], () => 1, { maxRequests: 2, maxBytes: 100 })).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkBatch([5, 5, 5, 20], (n) => n, { maxRequests: 10, maxBytes: 10 })).toEqual([[5, 5], [5], [20]]);
    expect(chunkBatch([], () => 1, { maxRequests: 1, maxBytes: 1 })).toEqual([]);
  });
});
