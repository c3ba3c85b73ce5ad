/**
 * `evals run` with its case read thread (EVALS_CASE_READ_THREAD=on: used whatever the run's
 * size) against the same run without it (=off), through the built CLI and the fake provider:
 * the thread reads the cases (EVALS_DEBUG reports how many), the results and every report are
 * the same, and a case file changed after it was written stops the run with the same error.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { runCli } from '../support/cli.js';

const N = 60;
let fake: FakeProvider;
let dir: string;

const read = (run: string, file: string): string => readFileSync(path.join(dir, 'reports', run, file), 'utf8');
/** Without what differs between two runs of the same cases: when a step started within its run (ms). */
const untimed = (text: string): string => text.replace(/"offsetMs":\d+/g, '"offsetMs":0');
/** The result lines, each without its start time either. */
const results = (run: string): string[] =>
  untimed(read(run, 'results.jsonl')).trim().split('\n').map((l) => JSON.stringify({ ...(JSON.parse(l) as object), startedAt: undefined })).sort();
/** The HTML report's embedded data: the index and every output, detail and case line. */
const embedded = (run: string): string[] => [...read(run, 'report.html').matchAll(/<script type="application\/json" id="(?:data|details)">([\s\S]*?)<\/script>/g)].map((m) => untimed(m[1]!));

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [{ when: { user: 'q' }, reply: { content: 'OK, your refund is on its way' } }] });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-case-thread-'));
  const rows = Array.from({ length: N }, (_, i) =>
    JSON.stringify({ input: { messages: [{ role: 'system', content: `Policy ${i % 7}: refunds within 30 days.` }, { role: 'user', content: `q ${i} <b>&amp;</b> é€😀` }], model: 'gpt-4o-mini' }, output: 'OK', tags: [`t${i % 3}`], ...(i % 10 === 0 ? { incident: `INC-${i}` } : {}) }),
  );
  writeFileSync(path.join(dir, 'rows.jsonl'), `${rows.join('\n')}\n`);
  const imported = await runCli(['datasets', 'import', 'suite', 'rows.jsonl'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [suite]\nbaseline: recorded\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: contains\n    value: OK\nrun:\n  concurrency: 4\n  retries: 0\n`,
  );
  // Fills the cache: the two compared runs get the same answers, with no latency.
  const warm = await runCli(['run', '--run-id', 'warm', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
  expect(warm.code, warm.stderr).toBe(0);
  expect(warm.stderr).not.toContain('phases');
});

afterAll(async () => {
  await fake.close();
});

describe('evals run with the case read thread', () => {
  it('reads the cases on the thread and writes the same results and reports as without it', async () => {
    const on = await runCli(['run', '--run-id', 'on', '--quiet'], { cwd: dir, env: { EVALS_CASE_READ_THREAD: 'on', EVALS_DEBUG: '1' }, timeoutMs: 120_000 });
    expect(on.code, on.stderr).toBe(0);
    const count = /case read thread: (\d+) case\(s\) read on the thread/.exec(on.stderr);
    expect(count, on.stderr).not.toBeNull();
    // The worker was ready before the first read (=on waits for it): it read every case.
    expect(Number(count![1])).toBe(N);
    const off = await runCli(['run', '--run-id', 'off', '--quiet'], { cwd: dir, env: { EVALS_CASE_READ_THREAD: 'off', EVALS_DEBUG: '1' }, timeoutMs: 120_000 });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).not.toContain('case read thread');
    // EVALS_DEBUG also times the phases, in order; without it, nothing is printed.
    expect(off.stderr).toMatch(/evals: phases: start-up \d+ ms, plan \d+ ms, run \d+ ms, compare \d+ ms, reports \d+ ms \(peak RSS by then: (\d+, ){4}\d+ MB\)\n/);
    expect(results('on')).toEqual(results('off'));
    expect(results('on')).toHaveLength(N);
    const [onData, onDetails] = embedded('on');
    const [offData, offDetails] = embedded('off');
    expect(onData).toBe(offData);
    expect(onDetails).toBe(offDetails);
    // Every case line is there, with its content (the spool's line, made on the thread).
    expect(onDetails!.split('\n')).toHaveLength(3 * N);
    expect(onDetails).toContain('Policy 6: refunds within 30 days.');
    // Titles and tags come from the briefs the thread made.
    const junit = (run: string): string => read(run, 'junit.xml').replace(`evals ${run}"`, 'evals RUN"').replace(/timestamp="[^"]*"/g, 'timestamp=""');
    expect(junit('on')).toBe(junit('off'));
    expect(junit('on')).toContain('<testcase name="q 7');
  });

  it('a case file changed after it was written stops the run with exit 2 naming the file, as without the thread', async () => {
    const shown = await runCli(['datasets', 'show', 'suite', '--json'], { cwd: dir });
    const ids = (JSON.parse(shown.stdout) as { cases: Array<{ id: string }> }).cases.map((c) => c.id).sort();
    const victim = ids[45]!;
    appendFileSync(path.join(dir, 'datasets', 'suite', 'cases', `${victim}.json`), ' ');
    const on = await runCli(['run', '--run-id', 'bad-on', '--quiet'], { cwd: dir, env: { EVALS_CASE_READ_THREAD: 'on' }, timeoutMs: 120_000 });
    const off = await runCli(['run', '--run-id', 'bad-off', '--quiet'], { cwd: dir, env: { EVALS_CASE_READ_THREAD: 'off' }, timeoutMs: 120_000 });
    expect(on.code, on.stderr).toBe(2);
    expect(off.code).toBe(2);
    const message = (stderr: string): string => stderr.split('\n').filter((l) => l.includes('case file changed') || l.includes(`${victim}.json`)).join('\n');
    expect(message(on.stderr)).toContain(`${victim}.json`);
    expect(message(on.stderr).replaceAll('bad-on', 'bad-off')).toBe(message(off.stderr));
  });
});
