/**
 * A response whose headers arrive but whose body stalls must not hang `evals run`: one deadline
 * covers headers and body, the stalled call is retried, then recorded as a timeout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { runCli } from '../support/cli.js';
import { makeProject } from './hardening-project.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({});
});
afterAll(() => fake.close());

describe('whole-call deadline', () => {
  it('turns a body that stalls after the headers into retried, then recorded, timeouts', async () => {
    const dir = await makeProject({ url: fake.url, headers: { 'x-fake-fault': 'stall' }, run: '  timeoutMs: 400\n  retries: 1\n  concurrency: 8\n' });
    const before = fake.stats.total;
    const t0 = Date.now();
    const r = await runCli(['run', '--run-id', 'stall', '--quiet'], { cwd: dir, timeoutMs: 25_000 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    const results = readFileSync(path.join(dir, 'reports/stall/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { error?: { type: string; message: string }; retries?: number });
    expect(results).toHaveLength(8);
    for (const res of results) {
      expect(res.error?.type).toBe('timeout');
      expect(res.error?.message).toMatch(/within 400 ms/);
      expect(res.retries).toBe(1);
    }
    // Every case: the first attempt and one retry reached the server and stalled there.
    expect(fake.stats.total - before).toBe(16);
  }, 40_000);
});
