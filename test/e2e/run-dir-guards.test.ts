/**
 * One writer per run directory, real signals, safe run ids: `--resume` of a live run and a
 * second run with the same id are refused (exit 2) without a paid call; SIGTERM ends a run like
 * Ctrl-C (message, run.json `interrupted`, resumable); a killed run's stale lock is recovered;
 * a run id is one path segment; a file where outDir or cacheDir should be is exit 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { CLI, runCli } from '../support/cli.js';
import { makeProject, writeConfig } from './hardening-project.js';

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider({ latencyMs: 250 });
  dir = await makeProject({ url: fake.url, run: '  concurrency: 1\n' });
});
afterAll(() => fake.close());

function resultCount(runId: string): number {
  const f = path.join(dir, 'reports', runId, 'results.jsonl');
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).length : 0;
}

function startRun(runId: string): { exited: Promise<number>; kill: (s: NodeJS.Signals) => void; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, 'run', '--run-id', runId, '--quiet'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { exited: new Promise((r) => child.on('close', (code) => r(code ?? -1))), kill: (s) => child.kill(s), stderr: () => err };
}

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 30));
  expect(cond()).toBe(true);
}

describe('run directory lock', () => {
  it('refuses --resume of a live run, with no duplicate paid call', async () => {
    const before = fake.stats.total;
    const run = startRun('live');
    await waitFor(() => resultCount('live') >= 1);
    const resume = await runCli(['run', '--resume', 'reports/live', '--quiet'], { cwd: dir });
    expect(resume.code, resume.stderr).toBe(2);
    expect(resume.stderr).toMatch(/run directory is in use by another evals process/);
    expect(resume.stderr).toMatch(/held by pid \d+/);
    expect([0, 1]).toContain(await run.exited);
    expect(resultCount('live')).toBe(8);
    expect(fake.stats.total - before).toBe(8);
  }, 60_000);

  it('refuses to merge a shard that is still running', async () => {
    // A slow provider of its own, so the run is surely still going when `merge` starts, however
    // loaded the machine is; the run is then stopped rather than waited for.
    const slow = await startFakeProvider({ latencyMs: 3_000 });
    try {
      const slowDir = await makeProject({ url: slow.url, run: '  concurrency: 1\n' });
      const child = spawn(process.execPath, [CLI, 'run', '--run-id', 'shard-live', '--quiet'], { cwd: slowDir, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
      const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
      await waitFor(() => existsSync(path.join(slowDir, 'reports', 'shard-live', 'results.jsonl')) || slow.stats.total >= 1);
      const merge = await runCli(['merge', 'reports/shard-live', '--out', 'reports/merged'], { cwd: slowDir });
      expect(merge.code, merge.stderr).toBe(2);
      expect(merge.stderr).toMatch(/run directory is still being written/);
      child.kill('SIGTERM');
      await exited;
      const after = await runCli(['merge', 'reports/shard-live', '--out', 'reports/merged'], { cwd: slowDir });
      expect(after.stderr).not.toMatch(/still being written/);
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('lets only one of two simultaneous resumes of a killed run call the provider', async () => {
    const run = startRun('killed');
    await waitFor(() => resultCount('killed') >= 2);
    run.kill('SIGKILL');
    await run.exited;
    const done = resultCount('killed');
    const before = fake.stats.total;
    const [a, b] = await Promise.all([0, 1].map(() => runCli(['run', '--resume', 'reports/killed', '--quiet'], { cwd: dir })));
    const codes = [a!.code, b!.code].sort();
    expect(codes[1], a!.stderr + b!.stderr).toBe(2);
    expect([0, 1]).toContain(codes[0]);
    expect(resultCount('killed')).toBeGreaterThanOrEqual(8);
    // The killed run's stale lock was recovered; the cases left were paid once (plus, at most,
    // the one in flight at the kill).
    expect(fake.stats.total - before).toBe(8 - done);
  }, 60_000);

  it('lets only one of two runs with the same id start', async () => {
    const before = fake.stats.total;
    const [a, b] = await Promise.all([runCli(['run', '--run-id', 'twin', '--quiet'], { cwd: dir }), runCli(['run', '--run-id', 'twin', '--quiet'], { cwd: dir })]);
    const codes = [a.code, b.code].sort();
    expect(codes[1], a.stderr + b.stderr).toBe(2);
    expect([0, 1]).toContain(codes[0]);
    expect(resultCount('twin')).toBe(8);
    expect(fake.stats.total - before).toBe(8);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('is handled like Ctrl-C: message, run.json interrupted and resumable; a stale lock does not block the resume', async () => {
    const before = fake.stats.total;
    const run = startRun('term');
    await waitFor(() => resultCount('term') >= 2);
    run.kill('SIGTERM');
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toMatch(/interrupted \(SIGTERM\).*evals run --resume reports\/term/s);
    const rec = JSON.parse(readFileSync(path.join(dir, 'reports/term/run.json'), 'utf8')) as { status: string; interruption?: { resumable: boolean; reason: string } };
    expect(rec.status).toBe('interrupted');
    expect(rec.interruption).toMatchObject({ resumable: true, reason: 'interrupted (SIGTERM)' });
    const done = resultCount('term');
    // A lock left by a killed process (dead pid on this host) is stale.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(path.join(dir, 'reports/term/.lock'), JSON.stringify({ pid: dead, host: hostname(), time: new Date().toISOString() }));
    const resume = await runCli(['run', '--resume', 'reports/term', '--quiet'], { cwd: dir });
    expect([0, 1], resume.stderr).toContain(resume.code);
    expect(resultCount('term')).toBe(8);
    // Only the call in flight at SIGTERM may be paid twice (concurrency 1).
    expect(fake.stats.total - before).toBeLessThanOrEqual(8 + 1);
    expect(fake.stats.total - before).toBeGreaterThanOrEqual(8);
    expect(done).toBeLessThan(8);
    expect(existsSync(path.join(dir, 'reports/term/.lock'))).toBe(false);
  }, 60_000);
});

describe('run ids and output paths', () => {
  it.each(['..', '../../etc', '/tmp/evals-abs', '', 'a\nb', 'a/b', '.hidden'])('rejects --run-id %j with exit 2 and writes nothing', async (id) => {
    const before = fake.stats.total;
    const r = await runCli(['run', '--run-id', id, '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--run-id is not a valid run id/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(path.join(dir, 'results.jsonl'))).toBe(false);
    expect(existsSync(path.join(dir, 'run.json'))).toBe(false);
    expect(fake.stats.total).toBe(before);
  });

  it('reports a file where run.outDir or run.cacheDir should be as exit 2, leaving no "running" run.json', async () => {
    writeFileSync(path.join(dir, 'afile'), 'x');
    writeConfig(dir, { url: fake.url, run: '  outDir: afile\n' });
    const out = await runCli(['run', '--quiet'], { cwd: dir });
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toMatch(/run\.outDir/);
    // The project config sets `cache: false`; turn it on with a file as its directory.
    writeConfig(dir, { url: fake.url });
    writeFileSync(path.join(dir, 'evals.config.yaml'), readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8').replace('cache: false', 'cache: true\n  cacheDir: afile'));
    const cache2 = await runCli(['run', '--run-id', 'cachefile2', '--quiet'], { cwd: dir });
    expect(cache2.code, cache2.stderr).toBe(2);
    expect(cache2.stderr).toMatch(/run\.cacheDir/);
    expect(readdirSync(path.join(dir, 'reports/cachefile2')).filter((f) => f === 'run.json')).toEqual([]);
    writeConfig(dir, { url: fake.url, run: '  concurrency: 1\n' });
  });
});
