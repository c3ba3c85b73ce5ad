/**
 * The whole-call deadline of callSdk, through the real SDKs against the fake provider's
 * `stall` fault (headers sent, body never finished): non-streaming and streaming calls end in a
 * retryable `timeout` ProviderError at the deadline, and the caller's abort still wins.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { ProviderError } from '../../src/providers/provider.js';
import { callSdk } from '../../src/providers/sdk-call.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({});
});
afterAll(() => fake.close());

const stall = { 'x-fake-fault': 'stall' };
const map = () => ({ content: 'x', toolCalls: [] });

async function timed(p: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const t0 = Date.now();
  const err = await p.then(() => undefined, (e: unknown) => e);
  return { err, ms: Date.now() - t0 };
}

describe('callSdk deadline', () => {
  it('cuts a stalled non-streaming body (OpenAI SDK)', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${fake.url}/v1`, maxRetries: 0, defaultHeaders: stall });
    const { err, ms } = await timed(callSdk('fake', 300, {}, (o) => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, o), map));
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).info).toMatchObject({ type: 'timeout', retryable: true });
    expect(ms).toBeLessThan(2_000);
  });

  it('cuts a stream that stalls after its first event (Anthropic SDK)', async () => {
    const client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, defaultHeaders: stall });
    const send = async (o: { timeout: number; signal?: AbortSignal }) => {
      const stream = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true }, o);
      for await (const _ of stream) void _;
      return undefined;
    };
    const { err, ms } = await timed(callSdk('fake', 300, {}, send, map));
    expect((err as ProviderError).info?.type).toBe('timeout');
    expect(ms).toBeLessThan(2_000);
  });

  it('reports the caller abort, not a timeout, when the run is interrupted first', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${fake.url}/v1`, maxRetries: 0, defaultHeaders: stall });
    const run = new AbortController();
    setTimeout(() => run.abort(new Error('interrupted (SIGINT)')), 50);
    const { err } = await timed(callSdk('fake', 5_000, { signal: run.signal }, (o) => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, o), map));
    expect((err as ProviderError).info?.type).not.toBe('timeout');
  });
});
