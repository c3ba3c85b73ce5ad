/**
 * `evals run` reads each case as the run reaches it, through the built CLI and the fake
 * provider: every result line carries its case's incident; a case file changed after it was
 * written stops the run (exit 2) with that file's error, leaves it interrupted and resumable,
 * and once the file is restored `--resume` finishes it.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { runCli } from '../support/cli.js';

const N = 40;
let fake: FakeProvider;
let dir: string;
let ids: string[];

const results = (id: string): CaseResult[] =>
  readFileSync(path.join(dir, 'reports', id, 'results.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaseResult);
const record = (id: string): RunRecord => JSON.parse(readFileSync(path.join(dir, 'reports', id, 'run.json'), 'utf8')) as RunRecord;

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [{ when: { user: 'q' }, reply: { content: 'OK' } }] });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-lazy-'));
  const rows = Array.from({ length: N }, (_, i) => JSON.stringify({ input: { messages: [{ role: 'user', content: `q ${i}` }], model: 'gpt-4o-mini' }, output: 'OK', ...(i % 10 === 0 ? { incident: `INC-${i}` } : {}) }));
  writeFileSync(path.join(dir, 'rows.jsonl'), `${rows.join('\n')}\n`);
  const imported = await runCli(['datasets', 'import', 'suite', 'rows.jsonl'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [suite]\nbaseline: recorded\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: contains\n    value: OK\nrun:\n  concurrency: 2\n  retries: 0\n`,
  );
  const shown = await runCli(['datasets', 'show', 'suite', '--json'], { cwd: dir });
  ids = (JSON.parse(shown.stdout) as { cases: Array<{ id: string }> }).cases.map((c) => c.id).sort();
  expect(ids).toHaveLength(N);
});

afterAll(async () => {
  await fake.close();
});

describe('evals run with cases read as the run goes', () => {
  it('writes each case incident on its result lines', async () => {
    const r = await runCli(['run', '--run-id', 'full', '--no-cache', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const lines = results('full');
    expect(lines).toHaveLength(N);
    expect(lines.filter((x) => x.incident !== undefined).map((x) => x.incident).sort()).toEqual(['INC-0', 'INC-10', 'INC-20', 'INC-30']);
    expect(record('full').datasets[0]?.cases).toBe(N);
  });

  it('writes the same reports as `evals report` re-renders from the case files (briefs and case lines kept from the run)', async () => {
    expect(existsSync(path.join(dir, 'reports', 'full', '.report-cases.tmp'))).toBe(false);
    expect(existsSync(path.join(dir, 'reports', 'full', '.report-briefs.tmp'))).toBe(false);
    const files = ['report.html', 'summary.md', 'junit.xml'];
    const written = files.map((f) => readFileSync(path.join(dir, 'reports', 'full', f), 'utf8'));
    expect(written[2]).toContain('q 7');
    const again = await runCli(['report', 'reports/full'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    files.forEach((f, i) => expect(readFileSync(path.join(dir, 'reports', 'full', f), 'utf8'), f).toBe(written[i]));
  });

  it('a changed case file stops the run with exit 2 naming the file; restored, --resume finishes it', async () => {
    const victim = ids[30]!;
    const file = path.join(dir, 'datasets', 'suite', 'cases', `${victim}.json`);
    const original = readFileSync(file, 'utf8');
    appendFileSync(file, ' ');
    try {
      const r = await runCli(['run', '--run-id', 'bad', '--no-cache', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('case file changed after it was written');
      expect(r.stderr).toContain(`${victim}.json`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(record('bad').status).toBe('interrupted');
      const before = results('bad');
      expect(before.some((x) => x.caseId === victim)).toBe(false);
      expect(before.length).toBeGreaterThan(0);
    } finally {
      writeFileSync(file, original);
    }
    const again = await runCli(['run', '--resume', 'reports/bad', '--no-cache', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(record('bad').status).toBe('completed');
    expect(new Set(results('bad').map((x) => x.caseId)).size).toBe(N);
    expect(results('bad')).toHaveLength(N);
    // The resumed process kept only the cases it read; the reports read the others from their files.
    expect(existsSync(path.join(dir, 'reports', 'bad', '.report-cases.tmp'))).toBe(false);
    expect(existsSync(path.join(dir, 'reports', 'bad', '.report-briefs.tmp'))).toBe(false);
    const files = ['report.html', 'summary.md', 'junit.xml'];
    const written = files.map((f) => readFileSync(path.join(dir, 'reports', 'bad', f), 'utf8'));
    const rerendered = await runCli(['report', 'reports/bad'], { cwd: dir });
    expect(rerendered.code, rerendered.stderr).toBe(0);
    files.forEach((f, i) => expect(readFileSync(path.join(dir, 'reports', 'bad', f), 'utf8'), f).toBe(written[i]));
  });
});
