/**
 * `evals run` killed with SIGKILL mid-way, then `evals run --resume`: the run finishes on the
 * dataset version it started with (even after a new snapshot moved `latest`), without calling
 * the provider again for cases already done, and ends with one result per case.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { CLI, REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');
let fake: FakeProvider;
let dir: string;

function lines(file: string): Array<{ caseId: string }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { caseId: string }];
      } catch {
        return []; // a line torn by the kill
      }
    });
}

beforeAll(async () => {
  fake = await startFakeProvider({ latencyMs: 400 });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-resume-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [bot@latest]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nbaseline: recorded\nvariants:\n  - name: v\n    model: gpt-4o-mini\nevaluators:\n  - type: regex\n    pattern: "."\nrun:\n  concurrency: 1\n  cache: false\n`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('resume after SIGKILL', () => {
  it('finishes the interrupted run without re-calling completed cases', async () => {
    const results = path.join(dir, 'reports/r1/results.jsonl');
    const child = spawn(process.execPath, [CLI, 'run', '--run-id', 'r1', '--quiet'], { cwd: dir, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (lines(results).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const done = new Set(lines(results).map((r) => r.caseId));
    expect(done.size).toBeGreaterThanOrEqual(3);
    expect(done.size).toBeLessThan(8);

    // A new version lands while the run is interrupted: resume must stay on version 1.
    const more = await runCli(['datasets', 'rm', 'bot', [...done][0]!], { cwd: dir });
    expect(more.code, more.stderr).toBe(0);

    const before = fake.stats.total;
    const r = await runCli(['run', '--resume', 'reports/r1', '--quiet'], { cwd: dir });
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    const all = lines(results);
    const ids = new Set(all.map((x) => x.caseId));
    expect(ids.size).toBe(8);
    const run = JSON.parse(readFileSync(path.join(dir, 'reports/r1/run.json'), 'utf8')) as { status: string; datasets: Array<{ version: string; hash: string }>; counts: { total: number } };
    expect(run.status).toBe('completed');
    // Still pinned to the first version's state (its hash prefix), not the one `rm` wrote.
    const log = JSON.parse((await runCli(['datasets', 'log', 'bot', '--json'], { cwd: dir })).stdout) as Array<{ hash: string; parents: string[] }>;
    const first = log.find((e) => e.parents.length === 0)!.hash;
    expect(run.datasets[0]).toMatchObject({ version: first.slice(7, 19), hash: first });
    // Only the cases not done before the kill were called again: one call each (the fake has no
    // rules, so no reply asks for a tool).
    expect(fake.stats.total - before).toBe(8 - done.size);
  }, 90_000);
});
