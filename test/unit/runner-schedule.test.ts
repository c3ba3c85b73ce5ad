import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { ProviderError } from '../../src/providers/provider.js';
import { backoffDelay, DEFAULT_RETRY, RetriesExhausted, Scheduler } from '../../src/runner/schedule.js';
import { fakeProvider } from '../e2e/runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ faults: { retryAfterSeconds: 3 } });
});
afterAll(() => fake.close());

const req = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], params: {} };

describe('backoffDelay', () => {
  it('draws full jitter under an exponential cap', () => {
    const o = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, undefined, o, () => 0.999)).toBe(99);
    expect(backoffDelay(3, undefined, o, () => 0.5)).toBe(200);
    expect(backoffDelay(10, undefined, o, () => 0.999)).toBe(999);
    expect(backoffDelay(1, undefined, o, () => 0)).toBe(0);
  });
  it('never waits less than retry-after', () => {
    const o = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, 3000, o, () => 0.9)).toBe(3000);
    expect(backoffDelay(5, 10, o, () => 0.5)).toBe(500);
  });
});

describe('Scheduler.call over the real SDK', () => {
  it('retries a 429 with waits that honour retry-after, up to maxAttempts', async () => {
    const waits: number[] = [];
    const s = new Scheduler({ maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, sleep: async (ms) => void waits.push(ms) });
    const p = fakeProvider(fake.url, 'openai', { headers: { 'x-fake-fault': '429' } });
    const before = fake.stats.total;
    const err = await s.call(() => p.complete(req)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect((err as RetriesExhausted).retries).toBe(3);
    expect((err as RetriesExhausted).last.info.type).toBe('rate_limit');
    expect(fake.stats.total - before).toBe(4);
    expect(waits).toEqual([3000, 3000, 3000]);
  });

  it('does not retry a non-retryable error', async () => {
    let calls = 0;
    const s = new Scheduler({ sleep: async () => {} });
    const err = await s
      .call(async () => {
        calls++;
        throw new ProviderError('bad', { type: 'bad_request', status: 400, retryable: false });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(calls).toBe(1);
  });

  it('recovers after transient faults and reports the retries', async () => {
    let n = 0;
    const s = new Scheduler({ sleep: async () => {} });
    const ok = fakeProvider(fake.url, 'anthropic');
    const broken = fakeProvider(fake.url, 'anthropic', { headers: { 'x-fake-fault': '503' } });
    const r = await s.call(() => (n++ < 2 ? broken : ok).complete(req));
    expect(r.retries).toBe(2);
    expect(r.value.content).toContain('hi');
  });

  it('stops at once when the signal aborts', async () => {
    const ac = new AbortController();
    const s = new Scheduler({ sleep: async () => void ac.abort(new Error('stop')) });
    const p = fakeProvider(fake.url, 'openai', { headers: { 'x-fake-fault': '500' } });
    const before = fake.stats.total;
    await expect(s.call(() => p.complete(req, { signal: ac.signal }), ac.signal)).rejects.toThrow();
    expect(fake.stats.total - before).toBe(1);
  });
});

describe('adaptive concurrency', () => {
  it('halves on 429 (once per cooldown) and recovers by one per window of successes', async () => {
    let t = 0;
    const s = new Scheduler({ concurrency: 16, decreaseCooldownMs: 1000, now: () => t, sleep: async () => {}, maxAttempts: 2 });
    const rate = new ProviderError('429', { type: 'rate_limit', status: 429, retryable: true });
    let first = true;
    const flaky = async () => {
      if (first) {
        first = false;
        throw rate;
      }
      return 1;
    };
    await s.call(flaky);
    expect(s.concurrency).toBe(8);
    first = true;
    await s.call(flaky); // within cooldown: no second halving
    expect(s.concurrency).toBe(8);
    t = 5000;
    first = true;
    await s.call(flaky);
    expect(s.concurrency).toBe(4);
    for (let i = 0; i < 4; i++) await s.call(async () => 1);
    expect(s.concurrency).toBe(5);
    for (let i = 0; i < 200; i++) await s.call(async () => 1);
    expect(s.concurrency).toBe(16);
  });
});
