import { itemId } from '../../src/runner/plan-items.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { readResults, RESULTS_FILE, resultKey } from '../../src/runner/results.js';
import { readRunRecord } from '../../src/runner/run-file.js';
import { runSuite } from '../../src/runner/run.js';
import { fakeProvider, makePlan } from './runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    latencyMs: 5,
    maxRecorded: 5000,
    faults: { rate429: 0.05, rate500: 0.02, rate503: 0.01, resetRate: 0.01, hangRate: 0.01, malformedRate: 0.01, retryAfterSeconds: 0, seed: 7 },
  });
});
afterAll(() => fake.close());

describe('runSuite under provider faults', () => {
  it('ends 300 cases with exactly 300 results: none lost, none duplicated, counts match', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-faults-'));
    const plan = makePlan(dir, fake.url, 300, {
      concurrency: 20,
      timeoutMs: 1000,
      providers: { fake: fakeProvider(fake.url, 'openai', { timeoutMs: 1000 }) },
      retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
    });
    const before = fake.stats.total;
    const out = await runSuite(plan);
    const lines = (await readFile(join(dir, RESULTS_FILE), 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(300);
    const results = await readResults(dir);
    expect(new Set(results.map(resultKey)).size).toBe(300);
    expect(new Set(results.map((r) => r.caseId))).toEqual(new Set(plan.items.map(itemId)));
    expect(out.status).toBe('completed');
    expect(out.counts.total).toBe(300);
    expect(out.counts.done).toBe(300);
    expect(out.counts.errored).toBe(results.filter((r) => r.error).length);
    expect(out.counts.passed).toBe(results.filter((r) => r.pass).length);
    // Faults were injected and retried: more requests than cases, retries recorded per case.
    const requests = fake.stats.total - before;
    expect(requests).toBeGreaterThan(300);
    const retries = results.reduce((n, r) => n + (r.retries ?? 0), 0);
    expect(retries).toBe(out.retries);
    // Every attempt is one request, except an attempt that timed out before reaching the server
    // (possible on a loaded machine), hence ≤.
    expect(requests).toBeLessThanOrEqual(300 + retries);
    expect(requests).toBeGreaterThan(300 + retries - 10);
    expect(fake.stats.byStatus[429]).toBeGreaterThan(0);
    const ok = results.filter((r) => !r.error);
    expect(ok.length).toBeGreaterThan(290);
    for (const r of ok) expect(r.output).toContain('question');
    for (const r of ok) expect(r.costUsd).toBeGreaterThan(0);
    const rec = await readRunRecord(dir);
    expect(rec?.status).toBe('completed');
    expect(rec?.counts).toMatchObject({ total: 300, completed: 300, errored: out.counts.errored });
  });
});
