/**
 * `evals run` on a subset, through the built CLI and the fake provider: `--case`, `--tag`,
 * `--incident [id]`, `--failing <run-dir>`, `--limit`; the selection is recorded in run.json,
 * a run compared with a full baseline run does not count the left-out cases as missing, and
 * bad filters are usage errors (exit 2) that name what was wrong.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;
/** Case id by the user turn that made it. */
const ids = new Map<string, string>();

const ROWS: Array<{ text: string; tags?: string[]; incident?: string }> = [
  { text: 'good-1', tags: ['billing'] },
  { text: 'good-2', tags: ['billing', 'escalated'] },
  { text: 'good-3', incident: 'INC-1' },
  { text: 'good-4', incident: 'INC-2' },
  { text: 'bad-1' },
  { text: 'bad-2', tags: ['escalated'] },
];

async function run(id: string, extra: string[]) {
  const r = await runCli(['run', '--run-id', id, '--no-cache', '--quiet', ...extra], { cwd: dir, timeoutMs: 120_000 });
  const record = (): RunRecord & { comparison: Comparison } => JSON.parse(readFileSync(path.join(dir, 'reports', id, 'run.json'), 'utf8'));
  /** The user turns of the candidate's first-pass cases, sorted. */
  const ran = (): string[] => {
    const results = readFileSync(path.join(dir, 'reports', id, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const byId = new Map([...ids].map(([text, caseId]) => [caseId, text]));
    return [...new Set(results.filter((x) => x.role !== 'baseline').map((x) => byId.get(x.caseId)!))].sort();
  };
  return { ...r, record, ran };
}

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [{ when: { user: 'good' }, reply: { content: 'OK' } }, { when: { user: 'bad' }, reply: { content: 'NOPE' } }] });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-filters-'));
  const rows = ROWS.map((r) => JSON.stringify({ input: { messages: [{ role: 'user', content: r.text }], model: 'gpt-4o-mini' }, output: 'OK', ...(r.tags ? { tags: r.tags } : {}), ...(r.incident ? { incident: r.incident } : {}) }));
  writeFileSync(path.join(dir, 'rows.jsonl'), `${rows.join('\n')}\n`);
  const imported = await runCli(['datasets', 'import', 'suite', 'rows.jsonl'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [suite]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: contains\n    value: OK\nrun:\n  concurrency: 2\n  retries: 0\n`,
  );
  const shown = await runCli(['datasets', 'show', 'suite', '--json'], { cwd: dir });
  const cases = (JSON.parse(shown.stdout) as { cases: Array<{ id: string; input: { messages: Array<{ content: string }> } }> }).cases;
  for (const c of cases) ids.set(c.input.messages[0]!.content, c.id);
  expect(ids.size).toBe(ROWS.length);
});

afterAll(async () => {
  await fake.close();
});

describe('evals run subset filters', () => {
  it('--tag keeps the cases carrying any of the tags, and run.json records the selection', async () => {
    const r = await run('tag', ['--tag', 'billing']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ran()).toEqual(['good-1', 'good-2']);
    expect(r.record().selection?.filters).toBe('--tag billing');
    expect(r.record().selection?.cases).toHaveLength(2);
    expect((await run('tags', ['--tag', 'billing', '--tag', 'escalated'])).ran()).toEqual(['bad-2', 'good-1', 'good-2']);
  });

  it('--case takes id prefixes (with or without c_), repeatable', async () => {
    const a = ids.get('good-3')!;
    const b = ids.get('bad-1')!;
    const r = await run('case', ['--case', a.slice(0, 8), '--case', b.slice(2, 10)]);
    expect(r.ran()).toEqual(['bad-1', 'good-3']);
  });

  it('--incident alone keeps every incident case; --incident <id> that one', async () => {
    expect((await run('inc-any', ['--incident'])).ran()).toEqual(['good-3', 'good-4']);
    expect((await run('inc-one', ['--incident', 'INC-2'])).ran()).toEqual(['good-4']);
  });

  it('filters combine; --limit keeps the first n of what is left', async () => {
    expect((await run('combined', ['--tag', 'escalated', '--incident'])).code).toBe(2);
    expect((await run('limit', ['--limit', '3'])).ran()).toHaveLength(3);
    expect((await run('limit-tag', ['--tag', 'billing', '--limit', '1'])).ran()).toHaveLength(1);
  });

  it('--failing <run-dir> re-runs what failed there; compared with that run, the rest is not missing', async () => {
    const all = await run('all', []);
    expect(all.ran()).toHaveLength(ROWS.length);
    const again = await run('again', ['--failing', 'reports/all']);
    expect(again.ran()).toEqual(['bad-1', 'bad-2']);
    expect(again.record().selection?.filters).toBe('--failing reports/all');

    const vsAll = await run('vs-all', ['--tag', 'billing', '--baseline', 'reports/all']);
    expect(vsAll.code, vsAll.stdout + vsAll.stderr).toBe(0);
    expect(vsAll.record().comparison.cases.map((c) => c.verdict)).not.toContain('missing');
    expect(vsAll.record().comparison.cases).toHaveLength(2);
  });

  it('--resume of a filtered run finishes the same subset, not the whole suite', async () => {
    const first = await run('resumed', ['--tag', 'billing']);
    expect(first.code, first.stderr).toBe(0);
    // As if the run had been killed after its first result line.
    const file = path.join(dir, 'reports/resumed/results.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n')[0]}\n`);
    const again = await runCli(['run', '--resume', 'reports/resumed', '--no-cache', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(first.ran()).toEqual(['good-1', 'good-2']);
    expect(first.record().selection?.filters).toBe('--tag billing');
  });

  it('bad filters are usage errors naming what was wrong', async () => {
    const none = await run('none', ['--case', 'c_ffffffffffff']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--case matches no case');
    expect(none.stderr).toContain('c_ffffffffffff');
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const empty = await run('empty', ['--tag', 'nosuchtag']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no case matches the filters');
    expect(empty.stderr).toContain('--tag nosuchtag');
    const missing = await run('missing', ['--failing', 'reports/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--failing needs a run directory');
    expect((await run('zero', ['--limit', '0'])).code).toBe(2);
    const resume = await runCli(['run', '--resume', 'reports/all', '--tag', 'billing'], { cwd: dir });
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('takes no subset filter');
  });
});
