/**
 * The suite's judge through the real CLI: `judge:` picks one provider and model for every
 * model-graded evaluator (an entry may override it), run.json records it, `run.repeat: N` asks
 * the judge N times, `--no-judge-cache` / `judge.cache: false` send judge calls live while the
 * candidate still comes from the cache, and comparing with a run graded by another judge warns.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

function config(judge: string, extra = ''): string {
  return `datasets: [refund]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
  other: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
variants:
  - name: fixed
    systemPrompt: "Quote the current policy. {{context}}"
baseline: recorded
${judge}
evaluators:
  - type: judge
    name: policy-judge
    rubric: The answer must state the current refund time (5-7 business days).
    withReference: false
  - type: answer-relevance
    model: relevance-model
  - type: knows-judge
run:
  repeat: 3
gate:
  confirm: { enabled: false }
${extra}`;
}

const calls = (model: string): number => fake.requests.filter((q) => q.model === model).length;
const candidateCalls = (): number => fake.requests.filter((q) => JSON.stringify(q.body).includes('Quote the current policy')).length;
const record = (id: string): RunRecord => JSON.parse(readFileSync(path.join(dir, 'reports', id, 'run.json'), 'utf8')) as RunRecord;
const results = (id: string): CaseResult[] =>
  readFileSync(path.join(dir, 'reports', id, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CaseResult);

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'strict evaluator' }, reply: { content: '{"score": 0.9, "reason": "fine"}' } },
      { when: { system: 'Quote the current policy' }, reply: { content: 'Refunds are issued within 5-7 business days.' } },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-judge-cache-'));
  // A project evaluator sees the suite's judge in its context.
  mkdirSync(path.join(dir, 'evaluators'));
  writeFileSync(path.join(dir, 'evaluators/knows-judge.mjs'), "export default { name: 'knows-judge', evaluate: ({ judge }) => ({ name: 'knows-judge', score: 1, pass: true, reason: `judge ${judge?.provider}/${judge?.model}` }) };\n");
  const snap = await runCli(['snapshot', path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl'), '--dataset', 'refund', '--flagged'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
});

afterAll(async () => {
  await fake.close();
});

describe('the suite judge', () => {
  it('is one model for the suite, recorded in run.json, asked once per repeat, and replayed from the cache only when allowed', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('judge: { provider: local, model: judge-a }'));
    const r1 = await runCli(['run', '--run-id', 'a1'], { cwd: dir });
    expect(r1.code, r1.stderr + r1.stdout).toBe(0);
    const cases = new Set(results('a1').map((r) => r.caseId)).size;
    expect(cases).toBeGreaterThan(0);
    // 3 repeats of the candidate + production's recorded answer once, per case: 4 independent verdicts.
    expect(calls('judge-a')).toBe(4 * cases);
    expect(calls('relevance-model')).toBe(4 * cases);
    // Every judge call went to the suite's judge or the entry's own model, none to the default.
    const judgeModels = new Set(fake.requests.filter((q) => JSON.stringify(q.body).includes('strict evaluator')).map((q) => q.model));
    expect([...judgeModels].sort()).toEqual(['judge-a', 'relevance-model']);
    const rows = results('a1');
    expect(rows.map((r) => r.repeat).sort()).toEqual([0, 1, 2].flatMap((n) => Array(cases).fill(n)).sort());
    expect(rows.every((r) => r.scores[0]!.name === 'policy-judge' && r.scores[0]!.score === 0.9)).toBe(true);
    expect(rows[0]!.scores.find((s) => s.name === 'knows-judge')?.reason).toBe('judge local/judge-a');
    expect(record('a1').judge).toEqual({
      provider: 'local',
      model: 'judge-a',
      cache: true,
      temperature: 0,
      evaluators: [
        { evaluator: 'policy-judge', type: 'judge', provider: 'local', model: 'judge-a' },
        { evaluator: 'answer-relevance', type: 'answer-relevance', provider: 'local', model: 'relevance-model' },
      ],
    });

    // Same suite again: candidate and verdicts all come from the cache.
    const before = fake.stats.total;
    const r2 = await runCli(['run', '--run-id', 'a2'], { cwd: dir });
    expect(r2.code, r2.stderr).toBe(0);
    expect(fake.stats.total - before).toBe(0);

    // --no-judge-cache: the candidate is still replayed from the cache, every verdict is asked again.
    const judged = calls('judge-a');
    const candidate = candidateCalls();
    const r3 = await runCli(['run', '--run-id', 'a3', '--no-judge-cache'], { cwd: dir });
    expect(r3.code, r3.stderr).toBe(0);
    expect(calls('judge-a') - judged).toBe(4 * cases);
    expect(candidateCalls()).toBe(candidate);
    expect(record('a3').judge?.cache).toBe(false);

    // The same from the config: judge.cache: false.
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('judge: { provider: local, model: judge-a, cache: false }'));
    const again = calls('judge-a');
    const r4 = await runCli(['run', '--run-id', 'a4'], { cwd: dir });
    expect(r4.code, r4.stderr).toBe(0);
    expect(calls('judge-a') - again).toBe(4 * cases);
  });

  it('warns when the baseline run was graded by another judge', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('judge: { provider: other, model: judge-b }'));
    const r = await runCli(['run', '--run-id', 'b1', '--baseline', 'reports/a1'], { cwd: dir });
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    expect(record('b1').judge?.evaluators[0]).toEqual({ evaluator: 'policy-judge', type: 'judge', provider: 'other', model: 'judge-b' });
    const warning = 'evaluator "policy-judge" was graded by local/judge-a in the baseline run and by other/judge-b here';
    expect(r.stdout).toContain(warning);
    expect(record('b1').comparison?.gate.reasons.join('\n')).toContain(warning);
    // The relevance judge kept its own model but moved provider: it differs too.
    expect(r.stdout).toContain('"answer-relevance" was graded by local/relevance-model in the baseline run and by other/relevance-model');
    expect(readFileSync(path.join(dir, 'reports/b1/summary.md'), 'utf8')).toMatch(/warning: evaluator .*policy\\-judge.* was graded by/);
    // evals compare says the same; two runs with one judge do not.
    const cmp = await runCli(['compare', 'reports/a1', 'reports/b1', '--reporter', 'json'], { cwd: dir });
    expect(cmp.stdout).toContain(warning);
    const same = await runCli(['compare', 'reports/a1', 'reports/a2', '--reporter', 'json'], { cwd: dir });
    expect(same.stdout).not.toContain('warning:');
  });

  it('rejects a judge provider that is not configured, naming the field', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('judge: { provider: nowhere }'));
    const r = await runCli(['run', '--run-id', 'c1'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('judge.provider');
    expect(r.stderr).toContain('nowhere');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
