/**
 * `evals run --shard i/n` on two "CI machines", then `evals merge`: every case exactly once, one
 * report for the whole suite.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

const ids = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { caseId: string }).caseId);

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), 'evals-shard-'));
  const snap = await runCli(['snapshot', path.join(REPO, 'examples/refund-bot/traces/production.jsonl'), '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [bot]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nvariants:\n  - name: v\n    model: gpt-4o-mini\nevaluators:\n  - type: regex\n    pattern: "."\n`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('shards and merge', () => {
  it('splits the cases deterministically and merges them into one run and report', async () => {
    for (const i of [1, 2]) {
      const r = await runCli(['run', '--shard', `${i}/2`, '--run-id', `s${i}`, '--quiet'], { cwd: dir });
      expect([0, 1], r.stderr).toContain(r.code);
    }
    const a = ids(path.join(dir, 'reports/s1/results.jsonl'));
    const b = ids(path.join(dir, 'reports/s2/results.jsonl'));
    expect(a.filter((x) => b.includes(x))).toEqual([]);
    expect(new Set([...a, ...b]).size).toBe(8);
    const m = await runCli(['merge', 'reports/s1', 'reports/s2', '--out', 'reports/merged'], { cwd: dir });
    expect([0, 1], m.stderr + m.stdout).toContain(m.code);
    // 8 candidate results, plus the sampled baseline where a case did not pass.
    const merged = Number(/(\d+) result\(s\)/.exec(m.stderr)?.[1]);
    expect(merged).toBeGreaterThanOrEqual(8);
    expect(new Set(ids(path.join(dir, 'reports/merged/results.jsonl'))).size).toBe(8);
    for (const f of ['report.html', 'summary.md', 'junit.xml', 'run.json']) expect(existsSync(path.join(dir, 'reports/merged', f)), f).toBe(true);
  });

  it('rejects a malformed --shard', async () => {
    const r = await runCli(['run', '--shard', '3/2'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard');
  });
});
