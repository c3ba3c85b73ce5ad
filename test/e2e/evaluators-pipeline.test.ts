/**
 * Pipeline-aware evaluators in a real run (built CLI, module pipeline, fake provider):
 * `retrieval-drift` sees the retrieval the candidate recorded with `ctx.recordStep` and fails
 * the one case whose documents changed; production's own scores pass it; `finish-reason` fails
 * the case the pipeline reports as cut off; `pii-leak` fails the case that leaks an e-mail.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules, startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');
let fake: FakeProvider;
let dir: string;

beforeAll(async () => {
  fake = await startFakeProvider({ rules: await loadRules(path.join(REPO, 'examples/refund-bot/rules.json')) });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-evaluators-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
});

afterAll(async () => {
  await fake.close();
});

describe('pipeline-aware evaluators in a run', () => {
  it('scores the candidate with its own recorded retrieval, finish reason and output', async () => {
    writeFileSync(
      path.join(dir, 'pipeline.ts'),
      `import type { ModuleFunction } from ${JSON.stringify(path.join(REPO, 'src/pipelines/module.ts'))};
const run: ModuleFunction = async (input, ctx) => {
  const q = input.query ?? '';
  let documents = ctx.captured.documents();
  if (/gift card/i.test(q)) documents = [{ id: 'kb-unrelated', content: 'Unrelated.' }];
  ctx.recordStep({ spanId: 'r1', name: 'retrieve', durationMs: 1, status: 'ok', step: { type: 'retrieval', documents } });
  const recorded = ctx.captured.case.recorded.output ?? '';
  if (/A1001/.test(q)) return { output: recorded + ' Contact jane.doe@example.com.', finishReason: 'stop' };
  return { output: recorded, finishReason: /refund/i.test(q) && !/gift/i.test(q) ? 'length' : 'stop' };
};
export default run;
`,
    );
    writeFileSync(
      path.join(dir, 'evals.config.yaml'),
      `datasets: [bot@latest]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
pipeline:
  type: module
  path: ./pipeline.ts
evaluators:
  - type: retrieval-drift
  - type: finish-reason
  - type: pii-leak
`,
    );
    const r = await runCli(['run', '--run-id', 'ev', '--no-cache'], { cwd: dir });
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    const rs = readFileSync(path.join(dir, 'reports', 'ev', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CaseResult);
    const byName = (n: string) => rs.map((x) => ({ x, s: x.scores.find((s) => s.name === n)! }));
    const drift = byName('retrieval-drift');
    const withRetrieval = drift.filter(({ s }) => s.reason.startsWith('overlap@'));
    expect(new Set(withRetrieval.map(({ x }) => x.caseId)).size).toBeGreaterThan(5);
    // Failing cases are re-run to confirm (several rows per case): count cases, not rows.
    const cases = (rows: Array<{ x: CaseResult }>) => new Set(rows.map(({ x }) => x.caseId));
    const failed = drift.filter(({ s }) => !s.pass);
    expect(cases(failed).size).toBe(1);
    expect(failed[0]!.s.reason).toContain('new kb-unrelated');
    // Production's answer is compared with its own retrieval: no drift.
    expect(rs.every((x) => x.recorded === undefined || x.recorded.scores.find((s) => s.name === 'retrieval-drift')?.pass === true)).toBe(true);
    expect(byName('finish-reason').some(({ s }) => !s.pass && s.reason.includes('truncated'))).toBe(true);
    const leaks = byName('pii-leak').filter(({ s }) => !s.pass);
    expect(cases(leaks).size).toBe(1);
    expect(leaks[0]!.x.output).toContain('A1001');
    expect(leaks[0]!.s.reason).not.toContain('jane.doe@example.com');
  });
});
