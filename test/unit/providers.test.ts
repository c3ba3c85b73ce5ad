import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { ConfigError } from '../../src/errors.js';
import { ProviderError, type LlmRequest } from '../../src/providers/provider.js';
import { parseRetryAfter } from '../../src/providers/provider-errors.js';
import { createProvider, type ProviderType } from '../../src/providers/registry.js';
import { costOf, CostTracker, findPrice, mergePricing } from '../../src/providers/pricing.js';
import { fakeProvider } from '../e2e/runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { user: 'weather', hasToolResult: false }, reply: { content: 'let me check', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] } },
      { when: { hasToolResult: true }, reply: { content: 'sunny in Paris' } },
    ],
  });
});
afterAll(() => fake.close());

const types: ProviderType[] = ['openai', 'openai-responses', 'anthropic'];
const weatherTool = { name: 'get_weather', description: 'weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

function lastBody(): Record<string, unknown> {
  return fake.requests[fake.requests.length - 1]!.body as Record<string, unknown>;
}

describe.each(types)('%s provider over the real SDK', (type) => {
  it('maps text, usage, model and finish reason stop', async () => {
    const p = fakeProvider(fake.url, type);
    const r = await p.complete({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello world' }], params: { temperature: 0 } });
    expect(r.content).toBe('[fake:gpt-4o-mini] hello world');
    expect(r.toolCalls).toEqual([]);
    expect(r.finishReason).toBe('stop');
    expect(r.model).toBe('gpt-4o-mini');
    expect(r.usage?.inputTokens).toBeGreaterThan(0);
    expect(r.usage?.outputTokens).toBeGreaterThan(0);
    expect(r.usage?.totalTokens).toBe((r.usage?.inputTokens ?? 0) + (r.usage?.outputTokens ?? 0));
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    const body = lastBody();
    if (type === 'anthropic') {
      expect(body.system).toBe('be brief');
      expect(body.messages).toEqual([{ role: 'user', content: 'hello world' }]);
    } else if (type === 'openai-responses') {
      expect(body.instructions).toBe('be brief');
    } else {
      expect((body.messages as unknown[])[0]).toEqual({ role: 'system', content: 'be brief' });
    }
  });

  it('reports finish reason length when max tokens cut the answer', async () => {
    const r = await fakeProvider(fake.url, type).complete({ model: 'm', messages: [{ role: 'user', content: 'a long question with many words in it' }], params: { maxTokens: 2 } });
    expect(r.finishReason).toBe('length');
    expect(r.usage?.outputTokens).toBe(2);
  });

  it('maps tool calls with parsed arguments, and sends tool results back', async () => {
    const p = fakeProvider(fake.url, type);
    const req: LlmRequest = { model: 'm', messages: [{ role: 'user', content: 'weather in Paris?' }], params: {}, tools: [weatherTool] };
    const r = await p.complete(req);
    expect(r.finishReason).toBe('tool_calls');
    expect(r.content).toBe('let me check');
    expect(r.toolCalls).toHaveLength(1);
    expect(r.toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris', days: 2 } });
    expect(typeof r.toolCalls[0]!.id).toBe('string');
    const second = await p.complete({
      ...req,
      messages: [...req.messages, { role: 'assistant', content: r.content, toolCalls: r.toolCalls }, { role: 'tool', content: '{"sky":"clear"}', toolCallId: r.toolCalls[0]!.id! }],
    });
    expect(second.content).toBe('sunny in Paris');
    const body = lastBody();
    const wire = JSON.stringify(body);
    if (type === 'anthropic') {
      const msgs = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
      expect(msgs[1]!.content.some((b) => b.type === 'tool_use' && b.id === r.toolCalls[0]!.id)).toBe(true);
      expect(msgs[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: r.toolCalls[0]!.id });
    } else if (type === 'openai-responses') {
      expect(wire).toContain('"function_call_output"');
    } else {
      expect(wire).toContain('"tool_call_id"');
    }
  });

  it.each([
    ['429', 'rate_limit', true],
    ['500', 'server', true],
    ['503', 'server', true],
    ['reset', 'connection', true],
    ['hang', 'timeout', true],
    ['malformed', 'invalid_response', true],
  ] as const)('maps fault %s to %s', async (fault, kind, retryable) => {
    const p = fakeProvider(fake.url, type, { timeoutMs: 300, headers: { 'x-fake-fault': fault } });
    const err = await p.complete({ model: 'm', messages: [{ role: 'user', content: 'x' }], params: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).info.type).toBe(kind);
    expect((err as ProviderError).info.retryable).toBe(retryable);
    if (fault === '429') expect((err as ProviderError).info.retryAfterMs).toBe(1000);
  });
});

describe('createProvider', () => {
  it('names the field and env var when the key is missing', () => {
    expect(() => createProvider({ name: 'main', type: 'anthropic' }, {})).toThrow(ConfigError);
    expect(() => createProvider({ name: 'main', type: 'anthropic' }, {})).toThrow(/providers\.main\.apiKey[\s\S]*ANTHROPIC_API_KEY/);
    expect(() => createProvider({ name: 'x', type: 'openai', apiKeyEnv: 'MY_KEY' }, {})).toThrow(/MY_KEY/);
  });
  it('reads the key from the environment and rejects unknown types', () => {
    expect(createProvider({ name: 'o', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }, { OPENAI_API_KEY: 'k' }).api).toBe('openai-chat');
    expect(() => createProvider({ name: 'o', type: 'gemini' as ProviderType, apiKey: 'k' })).toThrow(/providers\.o\.type/);
  });
  it.each([
    [400, 'bad_request'],
    [401, 'auth'],
  ] as const)('maps HTTP %i to a non-retryable %s error', async (status, kind) => {
    // The fake accepts anything, so a two-line server plays the strict API here.
    const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":{"message":"no"}}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const type of types) {
        const err = await fakeProvider(url, type).complete({ model: 'm', messages: [{ role: 'user', content: 'x' }], params: {} }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as ProviderError).info).toMatchObject({ type: kind, status, retryable: false });
      }
    } finally {
      server.close();
    }
  });
});

describe('retry-after parsing', () => {
  const h = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after': new Date(10_000).toUTCString() }), 7_000)).toBe(3000);
    expect(parseRetryAfter(h({}))).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('pricing', () => {
  it('prices input, cached input and output per million tokens', () => {
    const t = mergePricing();
    expect(costOf('gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, t)).toBeCloseTo(12.5);
    expect(costOf('gpt-4o', { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 }, t)).toBeCloseTo(1.25);
    expect(costOf('gpt-4o-2024-08-06', { inputTokens: 1_000_000 }, t)).toBeCloseTo(2.5);
    expect(findPrice('claude-sonnet-4-5-20250929', t)?.input).toBe(3);
  });
  it('gives undefined (not 0) for unknown models and counts them; config overrides win', () => {
    const t = mergePricing({ 'my-model': { input: 1, output: 2 } });
    expect(costOf('mystery', { inputTokens: 10 }, t)).toBeUndefined();
    const tracker = new CostTracker(t);
    expect(tracker.add('mystery', { inputTokens: 10 })).toBeUndefined();
    expect(tracker.add('my-model', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(1);
    expect(tracker.unknownCalls).toBe(1);
    expect(tracker.totalUsd).toBeCloseTo(1);
  });
});
