/**
 * Pipeline-aware evaluators in a real run (built CLI, module pipeline, fake provider):
 * `retrieval-drift` sees the retrieval the candidate recorded with `ctx.recordStep` and fails
 * the one case whose documents changed; production's own scores pass it; `finish-reason` fails
 * the case the pipeline reports as cut off; `pii-leak` fails the case that leaks an e-mail.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

function results(runId: string): CaseResult[] {
  return readFileSync(path.join(dir, 'reports', runId, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CaseResult);
}

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
    const rs = results('ev');
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

  it("reads an http service's `documents` as the candidate's retrieval", async () => {
    // The service answers every case with the same two documents: only cases that recorded
    // other documents drift.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ output: 'Refunds take 5-7 business days.', documents: [{ id: 'kb-refund-policy-2025', content: 'x' }, 'kb-shipping'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`;
      writeFileSync(
        path.join(dir, 'evals.config.yaml'),
        `datasets: [bot@latest]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\npipeline:\n  type: http\n  url: ${url}\nevaluators:\n  - type: retrieval-drift\n    threshold: 0.5\n`,
      );
      const r = await runCli(['run', '--run-id', 'http-docs', '--no-cache'], { cwd: dir });
      expect([0, 1], r.stderr + r.stdout).toContain(r.code);
      const drift = results('http-docs').map((x) => x.scores[0]!);
      expect(drift.every((s) => s.reason.startsWith('overlap@') || s.reason.includes('recorded no retrieval'))).toBe(true);
      expect(drift.some((s) => !s.pass && s.reason.includes('new kb-refund-policy-2025'))).toBe(true);
    } finally {
      server.close();
    }
  });
});
