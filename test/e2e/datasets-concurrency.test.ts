/**
 * Real processes against one dataset: two writers at once both land (one after the other), and
 * a writer killed with SIGKILL mid-write leaves every published version intact and the lock
 * breakable.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { openStore } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { makeCase, tempRoot } from '../unit/datasets-fixtures.js';

const repo = resolve('.');
let root: string;
let cleanup: () => Promise<void>;
let store: DatasetStore;
let script: string;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore(root);
  script = join(root, '..', 'writer.mts');
  const url = (p: string) => pathToFileURL(join(repo, p)).href;
  await writeFile(
    script,
    `import { writeVersion } from '${url('src/datasets/storage/write-version.ts')}';
import { makeCase } from '${url('test/unit/datasets-fixtures.ts')}';
const [root, name, ...traceIds] = process.argv.slice(2);
const r = await writeVersion(root, name, { add: traceIds.map((t) => makeCase(t, 'question ' + t)), provenance: { source: 'snapshot', note: 'child ' + process.pid } });
process.stdout.write(JSON.stringify({ ...r, finishedAt: Date.now() }));
`,
  );
});
afterEach(() => cleanup());

function startWriter(traceIds: string[], pauseMs: number): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  // `node --import tsx` rather than the tsx binary: the binary forks a second process, and the
  // test must SIGKILL the writer itself.
  const child = spawn(process.execPath, ['--import', 'tsx', script, root, 'd', ...traceIds], { cwd: repo, env: { ...process.env, EVALS_DATASETS_TEST_PAUSE_MS: String(pauseMs) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((res) => child.on('close', (code) => res({ code, out, err })));
  return { child, done };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('two writers at once', () => {
  it('both land: the later version has the earlier as parent and holds every case', async () => {
    const v0 = await store.writeVersion('d', { add: [makeCase('t0')], provenance: { source: 'snapshot' } });
    const a = startWriter(['a1', 'a2'], 1_500);
    // B starts while A holds the lock (A has written its first case and is paused).
    await waitFor(async () => (await readdir(join(root, 'd', 'cases'))).filter((f) => f.endsWith('.json')).length >= 2);
    const b = startWriter(['b1', 'b2'], 0);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.err, rb.err]).toEqual(['', '']);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const [resA, resB] = [JSON.parse(ra.out), JSON.parse(rb.out)] as Array<{ version: string; parents: string[]; finishedAt: number }>;
    expect(resA?.parents).toEqual([v0.version]);
    expect(resB?.parents).toEqual([resA?.version]); // one chain on one machine: the lock serialises writers
    expect(resB?.finishedAt).toBeGreaterThan(resA?.finishedAt ?? Infinity);
    const latest = await store.readVersion('d');
    expect(latest.manifest).toMatchObject({ version: resB?.version, heads: [resB?.version] });
    expect(latest.cases.map((c) => c.provenance.traceId).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 't0']);
    expect((await store.readVersion('d', resA?.version)).cases).toHaveLength(3);
    expect((await store.verifyDataset('d')).ok).toBe(true);
    expect(existsSync(join(root, 'd', '.lock'))).toBe(false);
  });

  it('two writers started together both land, in some order', async () => {
    const [ra, rb] = await Promise.all([startWriter(['a1'], 200).done, startWriter(['b1'], 200).done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const [x, y] = [JSON.parse(ra.out), JSON.parse(rb.out)].sort((p: { parents: string[] }, q: { parents: string[] }) => p.parents.length - q.parents.length) as Array<{ version: string; parents: string[] }>;
    expect(x?.parents).toEqual([]);
    expect(y?.parents).toEqual([x?.version]);
    expect((await store.logDataset('d')).filter((e) => e.head)).toHaveLength(1);
    expect((await store.readVersion('d')).cases.map((c) => c.provenance.traceId).sort()).toEqual(['a1', 'b1']);
  });
});

describe('a writer killed mid-write', () => {
  it('leaves earlier versions readable and verifiable; the next writer breaks the stale lock', async () => {
    const v1 = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const w = startWriter(['k1', 'k2', 'k3'], 10_000);
    await waitFor(async () => (await readdir(join(root, 'd', 'cases'))).filter((f) => f.endsWith('.json')).length >= 3);

    // While it holds the lock, another writer waits and then gives up with a RunError.
    const blocked = await store.writeVersion('d', { add: [makeCase('x')], provenance: { source: 'snapshot' }, lock: { timeoutMs: 300 } }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(RunError);
    expect((blocked as Error).message).toMatch(/timed out waiting for the dataset lock[\s\S]*held by pid/);

    w.child.kill('SIGKILL');
    const { code } = await w.done;
    expect(code).toBeNull();

    const latest = await store.readVersion('d');
    expect(latest.manifest.version).toBe(v1.version);
    expect(latest.cases.map((c) => c.id).sort()).toEqual([...v1.added].sort());
    const report = await store.verifyDataset('d');
    expect(report.ok).toBe(true);
    // The killed writer had written its three case files (one batch) but no version: orphans.
    expect(report.datasets[0]?.warnings.map((x) => x.message.split(' ')[0]).sort()).toEqual(['case', 'case', 'case', 'lock']);

    const next = await store.writeVersion('d', { add: [makeCase('k1', 'question k1'), makeCase('t3', 'q3')], provenance: { source: 'snapshot' }, lock: { timeoutMs: 5_000 } });
    expect(next).toMatchObject({ parents: [v1.version], created: true });
    expect(next.added).toHaveLength(2);
    // k1's orphan file was reused (same content, same id); k2 and k3 stay orphans, lock gone.
    expect((await readdir(join(root, 'd', 'cases'))).filter((f) => f.endsWith('.json'))).toHaveLength(6);
    const after = await store.verifyDataset('d');
    expect(after.ok).toBe(true);
    expect(after.datasets[0]?.warnings.map((x) => x.message.split(' ')[0])).toEqual(['case', 'case']);
  });
});
