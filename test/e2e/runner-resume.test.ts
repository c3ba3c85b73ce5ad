import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { completedKeys, readResults, RESULTS_FILE, resultKey } from '../../src/runner/results.js';
import { readRunRecord } from '../../src/runner/run-file.js';
import { runSuite } from '../../src/runner/run.js';
import { makePlan } from './runner-fixtures.js';

const N = 120;
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ latencyMs: 40, maxRecorded: 5000 });
});
afterAll(() => fake.close());

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts the child run as plain `node --import tsx` (as the built CLI runs: one process). Via
 * `npx tsx` a supervisor relays signals and SIGKILLs a child that is slow to acknowledge.
 */
function spawnChild(dir: string) {
  const script = fileURLToPath(new URL('./runner-child.ts', import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', script, dir, fake.url, String(N)], { cwd: root, stdio: 'ignore', detached: true });
}

async function lineCount(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('kill -9 mid-run, then resume', () => {
  it('keeps completed results, re-calls only what was not finished, ends with the full set once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-resume-'));
    const child = spawnChild(dir);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    const deadline = Date.now() + 30_000;
    while ((await lineCount(join(dir, RESULTS_FILE))) < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The whole group, so nothing the child started can keep calling the server.
    process.kill(-child.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const before = await completedKeys(dir);
    expect(before.size).toBeGreaterThanOrEqual(30);
    expect(before.size).toBeLessThan(N);
    expect((await readRunRecord(dir))?.status).toBe('running');

    const requestsBefore = fake.stats.total;
    const out = await runSuite(makePlan(dir, fake.url, N, { resume: true }));
    // Completed cases were not called again: one request per case not yet in results.jsonl.
    expect(fake.stats.total - requestsBefore).toBe(N - before.size);
    expect(out.counts.alreadyDone).toBe(before.size);
    expect(out.counts.done).toBe(N - before.size);

    const lines = (await readFile(join(dir, RESULTS_FILE), 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(N);
    const results = await readResults(dir);
    expect(new Set(results.map(resultKey)).size).toBe(N);
    const rec = await readRunRecord(dir);
    expect(rec?.status).toBe('completed');
    expect(rec?.counts.completed).toBe(N);
  }, 60_000);

  it('SIGINT stops the child cleanly: run.json says interrupted, results are whole, resume completes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-sigint-'));
    const child = spawnChild(dir);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 30_000;
    while ((await lineCount(join(dir, RESULTS_FILE))) < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== 'interrupted'; i++) {
      status = (await readRunRecord(dir))?.status;
      if (status !== 'interrupted') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('interrupted');
    const partial = await readResults(dir);
    expect(partial.length).toBeLessThan(N);
    expect(partial.every((r) => !r.error)).toBe(true);
    const out = await runSuite(makePlan(dir, fake.url, N, { resume: true }));
    expect(out.counts.done).toBe(N - partial.length);
    expect(new Set((await readResults(dir)).map(resultKey)).size).toBe(N);
  }, 60_000);

  it('an aborted run is marked interrupted, writes no result for unfinished cases, and resumes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-abort-'));
    const ac = new AbortController();
    let seen = 0;
    const out = await runSuite(makePlan(dir, fake.url, 60, { concurrency: 4 }), {
      signal: ac.signal,
      onResult: () => {
        if (++seen === 10) ac.abort(new Error('SIGINT'));
      },
    });
    expect(out.status).toBe('interrupted');
    expect((await readRunRecord(dir))?.status).toBe('interrupted');
    const partial = await readResults(dir);
    expect(partial.every((r) => !r.error)).toBe(true);
    expect(out.counts.done + out.counts.notStarted).toBe(60);
    await expect(runSuite(makePlan(dir, fake.url, 60))).rejects.toThrow(/--resume/);
    const again = await runSuite(makePlan(dir, fake.url, 60, { resume: true }));
    expect(again.counts.done).toBe(60 - partial.length);
    expect(await readResults(dir)).toHaveLength(60);
  });
});
