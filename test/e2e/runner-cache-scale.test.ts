/**
 * A fully cached re-run of a few thousand cases goes through the real SDK provider and makes no
 * request at all. Speed is measured by `npm run bench`, never asserted here.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { runSuite } from '../../src/runner/run.js';
import { fakeProvider, makePlan } from './runner-fixtures.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ maxRecorded: 10 });
});
afterAll(() => fake.close());

describe('response cache at scale', () => {
  it('a re-run of 3,000 cached cases makes no request and marks every result cached', async () => {
    const root = await mkdtemp(join(tmpdir(), 'evals-cache-scale-'));
    const cache = { dir: join(root, 'cache'), enabled: true };
    const first = await runSuite(makePlan(join(root, 'fill'), fake.url, 3000, { concurrency: 50, cache, providers: { fake: fakeProvider(fake.url) } }));
    expect(first.counts.done).toBe(3000);
    expect(first.counts.cached).toBe(0);
    const before = fake.stats.total;
    const again = await runSuite(makePlan(join(root, 'rerun'), fake.url, 3000, { concurrency: 50, cache, providers: { fake: fakeProvider(fake.url) } }));
    expect(again.counts.cached).toBe(3000);
    expect(fake.stats.total - before).toBe(0);
  }, 120_000);
});
