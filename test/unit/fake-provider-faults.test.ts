import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import type { FakeProvider, FaultKind, FaultOptions } from '../../src/fake-provider/index.js';

type Call = (headers: Record<string, string>, timeout: number) => Promise<unknown>;

function calls(provider: FakeProvider): Record<string, Call> {
  const openai = new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
  const anthropic = new Anthropic({ baseURL: provider.url, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  const drain = async (stream: AsyncIterable<unknown>): Promise<void> => {
    for await (const _ of stream) void _;
  };
  return {
    chat: (headers, timeout) => openai.chat.completions.create({ model: 'm', messages }, { headers, timeout }),
    'chat stream': async (headers, timeout) =>
      drain(await openai.chat.completions.create({ model: 'm', messages, stream: true }, { headers, timeout })),
    responses: (headers, timeout) => openai.responses.create({ model: 'm', input: 'hi' }, { headers, timeout }),
    'responses stream': async (headers, timeout) =>
      drain(await openai.responses.create({ model: 'm', input: 'hi', stream: true }, { headers, timeout })),
    messages: (headers, timeout) => anthropic.messages.create({ model: 'c', max_tokens: 50, messages }, { headers, timeout }),
    'messages stream': async (headers, timeout) =>
      drain(await anthropic.messages.create({ model: 'c', max_tokens: 50, messages, stream: true }, { headers, timeout })),
  };
}

async function failure(call: Call, fault: FaultKind): Promise<unknown> {
  try {
    await call({ 'x-fake-fault': fault }, fault === 'hang' ? 300 : 10_000);
  } catch (err) {
    return err;
  }
  throw new Error(`no error for fault ${fault}`);
}

describe('fault injection through the official SDKs', () => {
  let provider: FakeProvider;
  beforeAll(async () => {
    provider = await startFakeProvider({ faults: { retryAfterSeconds: 7 } });
  });
  afterAll(() => provider.close());

  it.each(['chat', 'chat stream', 'responses', 'responses stream', 'messages', 'messages stream'])(
    'every fault mode makes the SDK throw (%s)',
    async (name) => {
      const call = calls(provider)[name];
      if (call === undefined) throw new Error(name);
      const isAnthropic = name.startsWith('messages');
      const APIError = isAnthropic ? Anthropic.APIError : OpenAI.APIError;

      const e429 = await failure(call, '429');
      expect(e429).toBeInstanceOf(isAnthropic ? Anthropic.RateLimitError : OpenAI.RateLimitError);
      expect((e429 as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('7');

      for (const status of [500, 503] as const) {
        const e = await failure(call, String(status) as FaultKind);
        expect(e).toBeInstanceOf(APIError);
        expect((e as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
      }
      expect(await failure(call, 'reset')).toBeInstanceOf(
        isAnthropic ? Anthropic.APIConnectionError : OpenAI.APIConnectionError,
      );
      expect(await failure(call, 'hang')).toBeInstanceOf(
        isAnthropic ? Anthropic.APIConnectionTimeoutError : OpenAI.APIConnectionTimeoutError,
      );
      expect(await failure(call, 'malformed')).toBeInstanceOf(SyntaxError);
    },
  );

  it('sends the provider rate-limit error JSON on 429', async () => {
    const chat = (await failure(calls(provider)['chat'] as Call, '429')) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(chat.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    const msg = (await failure(calls(provider)['messages'] as Call, '429')) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(msg.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('counts statuses, with 0 for requests that got no response', () => {
    expect(provider.stats.byStatus[429]).toBeGreaterThanOrEqual(6);
    expect(provider.stats.byStatus[0]).toBeGreaterThanOrEqual(12);
    expect(provider.requests.some((r) => r.fault === 'hang' && r.status === 0)).toBe(true);
  });
});

describe('seeded fault rates', () => {
  async function faultSequence(faults: FaultOptions, n: number): Promise<Array<string | undefined>> {
    const provider = await startFakeProvider({ faults });
    const chat = calls(provider)['chat'] as Call;
    try {
      for (let i = 0; i < n; i++) await chat({}, 10_000).catch(() => undefined);
      return provider.requests.map((r) => r.fault);
    } finally {
      await provider.close();
    }
  }

  it('gives the same sequence for the same seed and a different one for another seed', async () => {
    const rates = { rate429: 0.2, rate500: 0.1, rate503: 0.1, resetRate: 0.1, malformedRate: 0.1 };
    const a = await faultSequence({ ...rates, seed: 42 }, 40);
    const b = await faultSequence({ ...rates, seed: 42 }, 40);
    const c = await faultSequence({ ...rates, seed: 7 }, 40);
    expect(a).toHaveLength(40);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const faulted = a.filter((f) => f !== undefined).length;
    // Expected 24 of 40 at a total rate of 0.6; a wide band keeps this about the rates, not luck.
    expect(faulted).toBeGreaterThan(12);
    expect(faulted).toBeLessThan(36);
    expect(new Set(a.filter((f) => f !== undefined)).size).toBeGreaterThanOrEqual(4);
  });

  it('never faults with zero rates', async () => {
    const seq = await faultSequence({ seed: 3 }, 10);
    expect(seq.every((f) => f === undefined)).toBe(true);
  });
});

describe('latency and shutdown', () => {
  it('applies latencyMs, and x-fake-latency-ms overrides it', async () => {
    const provider = await startFakeProvider({ latencyMs: 600 });
    const chat = calls(provider)['chat'] as Call;
    try {
      let t = performance.now();
      await chat({}, 10_000);
      expect(performance.now() - t).toBeGreaterThanOrEqual(590);
      t = performance.now();
      await chat({ 'x-fake-latency-ms': '0' }, 10_000);
      const fast = performance.now() - t;
      t = performance.now();
      await chat({ 'x-fake-latency-ms': '400' }, 10_000);
      expect(performance.now() - t).toBeGreaterThanOrEqual(390);
      // Generous bound: this machine may be loaded, but 0 ms must still beat the 600 ms default.
      expect(fast).toBeLessThan(500);
    } finally {
      await provider.close();
    }
  });

  it('close() finishes while a hung request is in flight, and the client sees a connection error', async () => {
    const provider = await startFakeProvider({ faults: { hangRate: 1 } });
    const pending = (calls(provider)['chat'] as Call)({}, 60_000).catch((e: unknown) => e);
    while (provider.requests.length === 0 || provider.requests[0]?.fault !== 'hang') {
      await new Promise((r) => setTimeout(r, 10));
    }
    const t = performance.now();
    await provider.close();
    expect(performance.now() - t).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('keeps only the newest maxRecorded requests but counts them all', async () => {
    const provider = await startFakeProvider({ maxRecorded: 3 });
    const chat = calls(provider)['chat'] as Call;
    try {
      for (let i = 0; i < 5; i++) await chat({}, 10_000);
      expect(provider.requests.map((r) => r.seq)).toEqual([3, 4, 5]);
      expect(provider.stats).toEqual({ total: 5, byStatus: { 200: 5 } });
    } finally {
      await provider.close();
    }
  });
});
