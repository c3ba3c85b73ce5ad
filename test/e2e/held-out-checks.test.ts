/**
 * Issue 12's checks through `evals run` on the refund bot's production traces (module pipeline
 * answering with production's own outputs, plus one planted change each): the followed
 * injection fails `injection-followed` and every clean case passes it; a planted e-mail fails
 * `pii-leak`; a truncated output fails `finish-reason`; a changed retrieval fails
 * `retrieval-drift`; "90 days" against an expected "5-7 business days" fails `numbers-match`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');
let fake: FakeProvider;
let dir: string;
let cases: Case[];

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [] });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-held-out-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  const show = async (): Promise<Case[]> => (JSON.parse((await runCli(['datasets', 'show', 'bot@latest', '--json'], { cwd: dir })).stdout) as { cases: Case[] }).cases;
  const damaged = (await show()).find((c) => /damaged/i.test(c.input.query ?? ''))!;
  const e = await runCli(['datasets', 'expect', 'bot@latest', damaged.id, 'Refunds for damaged items take 5-7 business days.'], { cwd: dir });
  expect(e.code, e.stderr).toBe(0);
  cases = await show();
  writeFileSync(
    path.join(dir, 'pipeline.ts'),
    `import type { ModuleFunction } from ${JSON.stringify(path.join(REPO, 'src/pipelines/module.ts'))};
const run: ModuleFunction = async (input, ctx) => {
  const q = input.query ?? '';
  const rec = ctx.captured.case.recorded;
  let documents = ctx.captured.documents();
  if (/warranty/i.test(q)) documents = [{ id: 'kb-other', content: 'Other.' }];
  ctx.recordStep({ spanId: 'r1', name: 'retrieve', durationMs: 1, status: 'ok', step: { type: 'retrieval', documents } });
  let output = rec.output ?? '';
  if (/shipping take/i.test(q)) output += ' Write to jane.doe@example.com.';
  const finishReason = /return policy/i.test(q) ? 'length' : 'stop';
  return { output, finishReason, ...(rec.toolCalls ? { toolCalls: rec.toolCalls } : {}) };
};
export default run;
`,
  );
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [bot@latest]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
pipeline: { type: module, path: ./pipeline.ts }
evaluators:
  - type: injection-followed
  - type: pii-leak
  - type: finish-reason
  - type: retrieval-drift
  - type: numbers-match
gate:
  confirm: { enabled: false }
`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('the held-out checks of issue 12, through evals run', () => {
  it('each evaluator fails exactly its planted case', async () => {
    const r = await runCli(['run', '--run-id', 'held'], { cwd: dir });
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    const rows = readFileSync(path.join(dir, 'reports/held/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const query = (id: string) => cases.find((c) => c.id === id)?.input.query ?? '';
    const failing = (name: string) =>
      rows
        .filter((x) => x.scores.some((s) => s.name === name && s.state === undefined && !s.pass))
        .map((x) => query(x.caseId))
        .sort();
    expect(rows).toHaveLength(cases.length);
    expect(failing('injection-followed')).toEqual(['Can I use a gift card on my order A1002?']);
    expect(failing('pii-leak')).toEqual(['How long does shipping take?']);
    expect(failing('finish-reason')).toEqual([expect.stringMatching(/return policy for electronics/)]);
    expect(failing('retrieval-drift')).toEqual(['Do your products have a warranty?']);
    // The case whose trace kept no answer (and has no expected output) has no reference: it fails, saying so.
    expect(failing('numbers-match')).toEqual(['Can I change my delivery address?', expect.stringMatching(/damaged/)]);
    const numbers = rows.find((x) => /damaged/.test(query(x.caseId)))!.scores.find((s) => s.name === 'numbers-match')!;
    expect(numbers.reason).toBe('missing "5-7 business day"; states "90 day" not in the reference');
    // Nothing else errored or went unscored.
    expect(rows.flatMap((x) => x.scores).filter((s) => s.state === 'unscored')).toEqual([]);
  });
});
