/**
 * Overhead budgets of the runner. The 2,000-case run uses an in-process provider that only
 * sleeps, so the measurement is the runner's own cost above the concurrency floor (the real SDK
 * over HTTP is covered by the other runner tests). The 10k cached re-run goes through the real
 * SDK provider and must make no request at all.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { Provider } from '../../src/providers/provider.js';
import { runSuite } from '../../src/runner/run.js';
import { fakeProvider, makePlan } from './runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ maxRecorded: 10 });
});
afterAll(() => fake.close());

/** Answers like the fake after `latencyMs`, without HTTP. Same api/baseUrl as the SDK provider, so cache keys match. */
function sleepingProvider(like: Provider, latencyMs: number): Provider {
  return {
    name: like.name,
    api: like.api,
    ...(like.baseUrl !== undefined ? { baseUrl: like.baseUrl } : {}),
    async complete(req) {
      await new Promise((r) => setTimeout(r, latencyMs));
      const last = req.messages[req.messages.length - 1]?.content ?? '';
      return { content: `[fake:${req.model}] ${last}`, toolCalls: [], finishReason: 'stop', model: req.model, usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, latencyMs };
    },
  };
}

describe('runner overhead', () => {
  it('2,000 cases × 50 ms at concurrency 50 stay near the 2 s floor', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-bench-'));
    const provider = sleepingProvider(fakeProvider(fake.url), 50);
    const t0 = performance.now();
    const out = await runSuite(makePlan(dir, fake.url, 2000, { concurrency: 50, providers: { fake: provider } }));
    const ms = performance.now() - t0;
    console.log(`[bench] 2000 cases × 50 ms @ 50: ${Math.round(ms)} ms (floor 2000 ms)`);
    expect(out.counts.done).toBe(2000);
    expect(ms).toBeLessThan(6000);
  });

  it('a fully cached re-run of 10,000 cases takes < 3 s and makes no request', async () => {
    const root = await mkdtemp(join(tmpdir(), 'evals-bench-cache-'));
    const cache = { dir: join(root, 'cache'), enabled: true };
    const sdk = fakeProvider(fake.url);
    await runSuite(makePlan(join(root, 'fill'), fake.url, 10_000, { concurrency: 200, cache, providers: { fake: sleepingProvider(sdk, 0) } }));
    const before = fake.stats.total;
    const t0 = performance.now();
    const out = await runSuite(makePlan(join(root, 'rerun'), fake.url, 10_000, { concurrency: 50, cache, providers: { fake: sdk } }));
    const ms = performance.now() - t0;
    console.log(`[bench] cached re-run of 10000 cases: ${Math.round(ms)} ms`);
    expect(out.counts.cached).toBe(10_000);
    expect(fake.stats.total - before).toBe(0);
    expect(ms).toBeLessThan(3000);
  }, 60_000);
});
