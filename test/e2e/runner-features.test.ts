import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { mergeRuns } from '../../src/runner/merge.js';
import { readResults, resultKey, SKIPPED_BY_BUDGET } from '../../src/runner/results.js';
import { readRunRecord } from '../../src/runner/run-file.js';
import { runSuite } from '../../src/runner/run.js';
import { fakeProvider, makeCase, makePlan, nonEmpty, replayMessages } from './runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ latencyMs: 5, maxRecorded: 5000 });
});
afterAll(() => fake.close());
const tmp = (p: string) => mkdtemp(join(tmpdir(), `evals-${p}-`));

describe('response cache', () => {
  it('a cached re-run makes no HTTP call, marks hits, reports 0 latency and 0 cost; --no-cache calls again', async () => {
    const cacheDir = await tmp('cache');
    const first = makePlan(await tmp('run'), fake.url, 20, { repeat: 2, cache: { dir: cacheDir, enabled: true } });
    let before = fake.stats.total;
    await runSuite(first);
    expect(fake.stats.total - before).toBe(40); // repeat index is part of the key
    before = fake.stats.total;
    const dir2 = await tmp('run');
    const out = await runSuite(makePlan(dir2, fake.url, 20, { repeat: 2, cache: { dir: cacheDir, enabled: true } }));
    expect(fake.stats.total - before).toBe(0);
    expect(out.counts.cached).toBe(40);
    expect(out.costUsd).toBe(0);
    const results = await readResults(dir2);
    expect(results.every((r) => r.cached === true && r.latencyMs === 0 && r.output?.includes('question'))).toBe(true);
    expect((await readRunRecord(dir2))?.counts.cached).toBe(40);
    before = fake.stats.total;
    await runSuite(makePlan(await tmp('run'), fake.url, 20, { repeat: 2, cache: { dir: cacheDir, enabled: false } }));
    expect(fake.stats.total - before).toBe(40);
  });
});

describe('cost budget', () => {
  it('stops scheduling at --max-cost, records the rest as skipped, and resume runs only those', async () => {
    const dir = await tmp('budget');
    // $1 per input token: each call costs well over the $0.05 step, so the count is exact at concurrency 1.
    const pricing = { 'gpt-4o-mini': { input: 1_000_000, output: 0 } };
    const before = fake.stats.total;
    const out = await runSuite(makePlan(dir, fake.url, 30, { concurrency: 1, pricing, maxCostUsd: 20 }));
    const live = fake.stats.total - before;
    const results = await readResults(dir);
    expect(results).toHaveLength(30);
    const skipped = results.filter((r) => r.error?.type === SKIPPED_BY_BUDGET);
    expect(out.budgetReached).toBe(true);
    expect(live).toBe(30 - skipped.length);
    expect(skipped.length).toBeGreaterThan(0);
    expect(out.counts.skippedByBudget).toBe(skipped.length);
    expect(out.costUsd).toBeGreaterThanOrEqual(20);
    const b2 = fake.stats.total;
    const again = await runSuite(makePlan(dir, fake.url, 30, { resume: true, pricing }));
    expect(fake.stats.total - b2).toBe(skipped.length);
    expect(again.counts.done).toBe(skipped.length);
    const final = await readResults(dir);
    expect(final).toHaveLength(30);
    expect(final.some((r) => r.error?.type === SKIPPED_BY_BUDGET)).toBe(false);
  });
});

describe('shards and merge', () => {
  it('shards partition the cases and merge back to the full run', async () => {
    const dirs = [await tmp('s1'), await tmp('s2'), await tmp('s3')];
    const record = { datasets: [{ name: 'ds', version: 3, hash: 'abc', cases: 45 }] };
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await runSuite(makePlan(dirs[i]!, fake.url, 45, { shard: { index: i + 1, count: 3 }, record }));
      counts.push(out.counts.total);
    }
    expect(counts.reduce((a, b) => a + b)).toBe(45);
    const ids = (await Promise.all(dirs.map(readResults))).map((rs) => rs.map((r) => r.caseId));
    const all = ids.flat();
    expect(new Set(all).size).toBe(45);
    expect(all).toHaveLength(45);
    const out = join(await tmp('merged'), 'run');
    const m = await mergeRuns(dirs, out);
    expect(m.results).toBe(45);
    expect((await readRunRecord(out))?.counts).toMatchObject({ total: 45, completed: 45 });
  });
});

describe('evaluation', () => {
  it('adds case assertions, scores the recorded baseline, and keeps variants and providers apart', async () => {
    const dir = await tmp('eval');
    const c: Case = { ...makeCase(1), expected: { output: 'ref', assertions: [{ type: 'contains', value: 'question 1' }] } };
    const broken: Case = { ...makeCase(2), recorded: { output: 'wrong', latencyMs: 1, status: 'ok' }, expected: { assertions: [{ type: 'contains', value: 'question 2' }] } };
    const plan = makePlan(dir, fake.url, 0, {
      items: [{ dataset: 'ds', case: c }, { dataset: 'ds', case: broken }],
      providers: { fake: fakeProvider(fake.url, 'openai'), claude: fakeProvider(fake.url, 'anthropic') },
      variants: [
        { name: 'gpt', pipeline: replayMessages, evaluators: [nonEmpty], overrides: {}, options: {}, provider: 'fake' },
        { name: 'claude', pipeline: replayMessages, evaluators: [nonEmpty], overrides: { model: 'claude-sonnet-4-5' }, options: {}, provider: 'claude' },
      ],
    });
    await runSuite(plan);
    const rs = await readResults(dir);
    expect(rs.map(resultKey).sort()).toHaveLength(4);
    const r1 = rs.find((r) => r.caseId === c.id && r.variant === 'gpt')!;
    expect(r1.scores.map((s) => s.name)).toEqual(['non-empty', 'contains:question 1']);
    expect(r1.pass).toBe(true);
    expect(r1.recorded?.pass).toBe(true);
    const r2 = rs.find((r) => r.caseId === broken.id && r.variant === 'claude')!;
    expect(r2.model).toBe('claude-sonnet-4-5');
    expect(r2.pass).toBe(true);
    expect(r2.recorded?.pass).toBe(false);
    expect(r2.recorded?.output).toBe('wrong');
  });

  it('records a provider failure as a result with error, not a crash', async () => {
    const dir = await tmp('err');
    const plan = makePlan(dir, fake.url, 3, {
      providers: { fake: fakeProvider(fake.url, 'openai', { headers: { 'x-fake-fault': '500' } }) },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const out = await runSuite(plan);
    const rs = await readResults(dir);
    expect(rs).toHaveLength(3);
    expect(rs.every((r) => r.error?.type === 'server' && r.retries === 1 && !r.pass)).toBe(true);
    expect(out.counts.errored).toBe(3);
  });
});
