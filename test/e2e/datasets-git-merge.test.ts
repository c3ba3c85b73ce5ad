/**
 * Datasets that merge: the real `evals` executable and real `git` in a temp repository. main
 * snapshots one trace; branches snapshot others (with incidents) and curate; `git merge` (or a
 * rebase) must report zero conflicts, and the merged tree must verify, show, log both branches
 * and run against the fake provider. A case curated differently on two branches is a conflict
 * that `verify` names with both values and `evals datasets resolve` settles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import type { FakeProvider } from '../../src/fake-provider/index.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl');
/** Trace ids by scenario, looked up in beforeAll (ids change when the fixtures are regenerated). */
const T = { weather: '', joke: '', refund: '', failing: '' };
const SCENARIO = { weather: 'weather-agent', joke: 'joke-stream', refund: 'refund-question', failing: 'failing-call' } as const;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ rules: [{ when: {}, reply: { content: 'Refunds are issued within 5-7 business days.' } }] });
  const listed = await runCli(['inspect', TRACES, '--json'], { cwd: tmpdir() });
  const traces = JSON.parse(listed.stdout) as Array<{ traceId: string; name: string }>;
  for (const key of Object.keys(T) as Array<keyof typeof T>) T[key] = traces.find((t) => t.name === SCENARIO[key])!.traceId;
});
afterAll(() => fake.close());

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Like git() but returns output and status instead of throwing (merge conflicts exit 1). */
function gitTry(dir: string, ...args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

async function evals(dir: string, ...args: string[]): Promise<string> {
  const r = await runCli(args, { cwd: dir });
  expect(r.code, `evals ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function commitAll(dir: string, msg: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', msg);
}

/** A repo whose main holds `rb` with the refund trace. */
async function repoWithMain(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'evals-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  writeFileSync(path.join(dir, '.gitignore'), 'datasets/**/.lock\ndatasets/**/.*.tmp-*\nreports/\n.evals-cache/\n');
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [rb@latest]\nproviders:\n  local:\n    type: openai\n    baseUrl: ${fake.url}/v1\n    apiKey: test-key\nvariants:\n  - name: candidate\nevaluators:\n  - type: contains\n    value: "business days"\n`,
  );
  await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.refund);
  commitAll(dir, 'rb: first case');
  return dir;
}

async function caseIdOf(dir: string, trace: string): Promise<string> {
  const shown = JSON.parse(await evals(dir, 'datasets', 'show', 'rb', '--json')) as { cases: Array<{ id: string; provenance: { traceId: string } }> };
  const c = shown.cases.find((x) => x.provenance.traceId === trace);
  if (c === undefined) throw new Error(`no case for ${trace}`);
  return c.id;
}

async function shown(dir: string, ref = 'rb'): Promise<{ version: string; hash: string; cases: Array<{ id: string; provenance: { traceId: string }; labels: { incident?: string; tags: string[] }; expected?: { output?: string } }> }> {
  return JSON.parse(await evals(dir, 'datasets', 'show', ref, '--json')) as never;
}

describe('datasets merge with git', () => {
  it('two branches snapshot and curate; git merge has no conflict; verify, show, log and run the merged dataset', async () => {
    const dir = await repoWithMain();
    const base = await caseIdOf(dir, T.refund);
    git(dir, 'checkout', '-q', '-b', 'a');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.weather, '--incident', 'INC-1');
    await evals(dir, 'datasets', 'expect', 'rb', base, 'Refunds take 5-7 business days.');
    commitAll(dir, 'a: INC-1');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'b');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.joke, '--incident', 'INC-2');
    const joke = await caseIdOf(dir, T.joke);
    await evals(dir, 'datasets', 'tag', 'rb', joke, 'smalltalk');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.failing);
    await evals(dir, 'datasets', 'rm', 'rb', await caseIdOf(dir, T.failing));
    commitAll(dir, 'b: INC-2');
    git(dir, 'checkout', '-q', 'a');
    const merge = gitTry(dir, 'merge', '--no-edit', 'b');
    expect(merge.out).not.toMatch(/CONFLICT/);
    expect(merge.code).toBe(0);

    const verify = await evals(dir, 'datasets', 'verify');
    expect(verify).toMatch(/^ok\s+rb: \d+ version\(s\), 2 heads \(merged on read\)/);
    const s = await shown(dir);
    expect(s.version).toMatch(/^[0-9a-f]{16}\+[0-9a-f]{16}$/);
    const byTrace = new Map(s.cases.map((c) => [c.provenance.traceId, c]));
    expect([...byTrace.keys()].sort()).toEqual([T.weather, T.joke, T.refund].sort()); // failing: removed on b
    expect(byTrace.get(T.weather)?.labels.incident).toBe('INC-1');
    expect(byTrace.get(T.joke)?.labels).toMatchObject({ incident: 'INC-2', tags: ['smalltalk'] });
    expect(byTrace.get(T.refund)?.expected?.output).toBe('Refunds take 5-7 business days.');
    const log = await evals(dir, 'datasets', 'log', 'rb');
    expect(log).toContain('(INC-1)');
    expect(log).toContain('(INC-2)');
    expect(log).toContain('2 heads (a git merge)');

    // A run on the merged state records its exact hash, and that hash pins it.
    const run = await runCli(['run', '--run-id', 'merged'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('gate: PASS');
    const record = JSON.parse(execFileSync('cat', [path.join(dir, 'reports/merged/run.json')], { encoding: 'utf8' })) as { datasets: Array<{ name: string; version: string; hash: string; cases: number }> };
    expect(record.datasets[0]).toMatchObject({ name: 'rb', hash: s.hash, cases: 3 });
    expect((await shown(dir, `rb@${record.datasets[0]!.version}`)).hash).toBe(s.hash);

    // The next write records the merge: one version whose parents are both heads.
    await evals(dir, 'datasets', 'tag', 'rb', await caseIdOf(dir, T.weather), 'weather');
    const after = await evals(dir, 'datasets', 'log', 'rb');
    expect(after).not.toContain('2 heads (a git merge)');
    const rows = after.split('\n');
    expect(rows[1]).toMatch(/^\*rb@[0-9a-f]{16}\s+[0-9a-f]{8}\s.*\bcurate\b/); // the tag, on top of…
    expect(rows[2]).toMatch(/^ rb@[0-9a-f]{16}\s+[0-9a-f]{8}\+[0-9a-f]{8}\s.*\bmerge\b/); // …the recorded merge
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
    commitAll(dir, 'merge recorded');
    // The old state is still readable by its pin.
    expect((await shown(dir, `rb@${record.datasets[0]!.version}`)).cases).toHaveLength(3);
  }, 120_000);

  it('three branches, add on one and remove on another, merged in turn', async () => {
    const dir = await repoWithMain();
    for (const [branch, trace] of [['x', T.weather], ['y', T.joke]] as const) {
      git(dir, 'checkout', '-q', 'main');
      git(dir, 'checkout', '-q', '-b', branch);
      await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', trace, '--incident', `INC-${branch}`);
      commitAll(dir, branch);
    }
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'z');
    await evals(dir, 'datasets', 'rm', 'rb', await caseIdOf(dir, T.refund));
    commitAll(dir, 'z removes the refund case');
    git(dir, 'checkout', '-q', 'main');
    for (const b of ['x', 'y', 'z']) {
      const m = gitTry(dir, 'merge', '--no-edit', b);
      expect(m.out).not.toMatch(/CONFLICT/);
      expect(m.code).toBe(0);
    }
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb: \d+ version\(s\), 3 heads/);
    expect((await shown(dir)).cases.map((c) => c.provenance.traceId).sort()).toEqual([T.weather, T.joke].sort());
    const run = await runCli(['run', '--run-id', 'three'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 120_000);

  it('a rebase instead of a merge: no conflict, both changes kept', async () => {
    const dir = await repoWithMain();
    git(dir, 'checkout', '-q', '-b', 'a');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.weather, '--incident', 'INC-1');
    commitAll(dir, 'a');
    git(dir, 'checkout', '-q', 'main');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.joke, '--incident', 'INC-2');
    await evals(dir, 'datasets', 'tag', 'rb', await caseIdOf(dir, T.refund), 'billing');
    commitAll(dir, 'main moves on');
    git(dir, 'checkout', '-q', 'a');
    const r = gitTry(dir, 'rebase', 'main');
    expect(r.out).not.toMatch(/CONFLICT/);
    expect(r.code).toBe(0);
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
    const s = await shown(dir);
    expect(s.cases.map((c) => c.provenance.traceId).sort()).toEqual([T.weather, T.joke, T.refund].sort());
    expect(s.cases.find((c) => c.provenance.traceId === T.refund)?.labels.tags).toEqual(['billing']);
  }, 120_000);

  it('the same case curated differently on two branches: verify names both values; resolve settles it', async () => {
    const dir = await repoWithMain();
    const id = await caseIdOf(dir, T.refund);
    git(dir, 'checkout', '-q', '-b', 'a');
    await evals(dir, 'datasets', 'expect', 'rb', id, 'Five to seven business days.');
    await evals(dir, 'datasets', 'tag', 'rb', await caseIdOf(dir, T.refund), 'from-a');
    commitAll(dir, 'a');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'b');
    await evals(dir, 'datasets', 'expect', 'rb', id, 'Within a week.');
    await evals(dir, 'datasets', 'tag', 'rb', await caseIdOf(dir, T.refund), 'from-b');
    commitAll(dir, 'b');
    git(dir, 'checkout', '-q', 'a');
    const m = gitTry(dir, 'merge', '--no-edit', 'b');
    expect(m.out).not.toMatch(/CONFLICT/);

    const verify = await runCli(['datasets', 'verify'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`merge conflict: case ${id}`);
    expect(verify.stdout).toMatch(/expected\.output: "(Five to seven business days\.|Within a week\.)" in c_[0-9a-f]{16} vs "(Within a week\.|Five to seven business days\.)" in c_/);
    expect(verify.stdout).toContain('"Within a week."');
    expect(verify.stdout).toContain('"Five to seven business days."');
    expect(verify.stdout).not.toContain('labels.tags'); // tags merge as a set
    const run = await runCli(['run', '--run-id', 'conflicted'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unresolved merge conflict');
    // Writes refuse too, until resolved.
    const blocked = await runCli(['snapshot', TRACES, '--dataset', 'rb', '--trace', T.joke], { cwd: dir });
    expect(blocked.code).toBe(2);

    const wrong = await runCli(['datasets', 'resolve', 'rb', id, '--take', 'removed'], { cwd: dir });
    expect(wrong.code).toBe(2); // a wrong choice is a usage error naming the candidates
    expect(wrong.stderr).toContain('removed-and-curated');
    const list = JSON.parse((await runCli(['datasets', 'verify', '--json'], { cwd: dir })).stdout) as { datasets: Array<{ conflicts: Array<{ candidates: string[]; fields: Array<{ path: string; values: Array<{ caseId: string; value: unknown }> }> }> }> };
    const conflict = list.datasets[0]!.conflicts[0]!;
    const fromB = conflict.fields[0]!.values.find((v) => v.value === 'Within a week.')!.caseId;
    await evals(dir, 'datasets', 'resolve', 'rb', id, '--take', fromB);
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
    const s = await shown(dir);
    expect(s.cases).toHaveLength(1);
    expect(s.cases[0]).toMatchObject({ expected: { output: 'Within a week.' }, labels: { tags: ['from-b'] } });
  }, 120_000);
  it('a case removed on one branch and curated on another is a conflict; resolve can keep the removal', async () => {
    const dir = await repoWithMain();
    const id = await caseIdOf(dir, T.refund);
    git(dir, 'checkout', '-q', '-b', 'a');
    await evals(dir, 'datasets', 'rm', 'rb', id);
    commitAll(dir, 'a removes');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'b');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.joke);
    await evals(dir, 'datasets', 'tag', 'rb', id, 'keep-me');
    commitAll(dir, 'b curates');
    git(dir, 'checkout', '-q', 'a');
    expect(gitTry(dir, 'merge', '--no-edit', 'b').out).not.toMatch(/CONFLICT/);
    const verify = await runCli(['datasets', 'verify'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`case ${id} .* was removed on one branch \\(version [0-9a-f]{16}\\) and curated into c_[0-9a-f]{16} on another`));
    await evals(dir, 'datasets', 'resolve', 'rb', `${id}=removed`);
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
    expect((await shown(dir)).cases.map((c) => c.provenance.traceId)).toEqual([T.joke]);
    commitAll(dir, 'resolved');
    // Later merges with yet another branch do not bring the settled conflict back.
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'c');
    await evals(dir, 'snapshot', TRACES, '--dataset', 'rb', '--trace', T.weather);
    commitAll(dir, 'c');
    git(dir, 'checkout', '-q', 'a');
    expect(gitTry(dir, 'merge', '--no-edit', 'c').out).not.toMatch(/CONFLICT/);
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
    expect((await shown(dir)).cases.map((c) => c.provenance.traceId).sort()).toEqual([T.joke, T.weather].sort());
  }, 120_000);

  it('a dataset created independently on two branches merges without a git conflict and verify says so', async () => {
    const dir = await repoWithMain();
    for (const [branch, trace] of [['a', T.weather], ['b', T.joke]] as const) {
      git(dir, 'checkout', '-q', 'main');
      git(dir, 'checkout', '-q', '-b', branch);
      await evals(dir, 'snapshot', TRACES, '--dataset', 'fresh', '--trace', trace);
      commitAll(dir, branch);
    }
    git(dir, 'checkout', '-q', 'a');
    expect(gitTry(dir, 'merge', '--no-edit', 'b').out).not.toMatch(/CONFLICT/);
    const verify = await evals(dir, 'datasets', 'verify', 'fresh');
    expect(verify).toMatch(/warning .*dataset was created independently on 2 branches \(root versions [0-9a-f]{16}, [0-9a-f]{16}\); each redacted with its own salt/);
    expect((await shown(dir, 'fresh')).cases).toHaveLength(2);
  }, 120_000);
  it('resolve --take <head version> keeps that branch\'s value', async () => {
    const dir = await repoWithMain();
    const id = await caseIdOf(dir, T.refund);
    for (const [branch, output] of [['a', 'From a.'], ['b', 'From b.']] as const) {
      git(dir, 'checkout', '-q', 'main');
      git(dir, 'checkout', '-q', '-b', branch);
      await evals(dir, 'datasets', 'expect', 'rb', id, output);
      commitAll(dir, branch);
    }
    git(dir, 'checkout', '-q', 'a');
    expect(gitTry(dir, 'merge', '--no-edit', 'b').out).not.toMatch(/CONFLICT/);
    const heads = (JSON.parse(await evals(dir, 'datasets', 'log', 'rb', '--json')) as Array<{ version: string; head: boolean }>).filter((e) => e.head).map((e) => e.version);
    expect(heads).toHaveLength(2);
    let bHead = '';
    for (const h of heads) if ((await shown(dir, `rb@${h}`)).cases[0]?.expected?.output === 'From b.') bHead = h;
    await evals(dir, 'datasets', 'resolve', 'rb', id, '--take', bHead.slice(0, 8));
    expect((await shown(dir)).cases.map((c) => c.expected?.output)).toEqual(['From b.']);
    expect(await evals(dir, 'datasets', 'verify')).toMatch(/^ok\s+rb:/);
  }, 120_000);
});
