/**
 * LLM-as-judge through the real CLI: the judge model (the fake provider, over HTTP) grades the
 * candidate and the recorded production answer against a rubric; its tokens count towards the
 * run's spend but not the candidate's usage.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { parseVerdict } from '../../src/evaluators/builtin/judge.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'strict evaluator', anyText: 'Answer to grade:\\s+Refunds are issued within 5-7' }, reply: { content: '{"score": 0.9, "reason": "quotes the current policy"}' } },
      { when: { system: 'strict evaluator' }, reply: { content: 'Sure! ```json\n{"score": 0.1, "reason": "states an outdated refund time"}\n```' } },
      { when: { system: 'Quote the current policy' }, reply: { content: 'Refunds are issued within 5-7 business days.' } },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-judge-'));
  const traces = path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl');
  const snap = await runCli(['snapshot', traces, '--dataset', 'refund', '--flagged'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [refund]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
variants:
  - name: fixed
    systemPrompt: "Quote the current policy. {{context}}"
evaluators:
  - type: judge
    name: policy-judge
    rubric: The answer must state the current refund time (5-7 business days).
    threshold: 0.7
`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('judge evaluator', () => {
  it('grades candidate and baseline with a model, through the run cache and spend', async () => {
    const r = await runCli(['run', '--run-id', 'j1'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res = readFileSync(path.join(dir, 'reports/j1/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult).find((x) => x.role === undefined);
    expect(res!.scores).toEqual([{ name: 'policy-judge', score: 0.9, pass: true, reason: 'judge 0.90: quotes the current policy' }]);
    // The rubric's reference is production's own recorded answer: grading it against itself is
    // not applicable. Production's prompt, replayed (the baseline), is graded like the candidate.
    expect(res!.recorded?.scores[0]).toMatchObject({ name: 'policy-judge', state: 'not_applicable' });
    const all = readFileSync(path.join(dir, 'reports/j1/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    expect(all.find((x) => x.role === 'baseline')!.scores[0]).toMatchObject({ name: 'policy-judge', score: 0.1, pass: false });
    const candidateCall = fake.requests.filter((q) => JSON.stringify(q.body).includes('Quote the current policy'));
    expect(candidateCall).toHaveLength(1);
    // Usage is the candidate call's only; the two judge calls are not in it.
    expect(res!.usage?.inputTokens).toBeLessThan(60);
    expect(r.stdout).toContain('1 fixed');
    const before = fake.stats.total;
    const again = await runCli(['run', '--run-id', 'j2'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(fake.stats.total - before).toBe(0);
  });

  it('reads a verdict inside text or a fence, and rejects anything else', () => {
    expect(parseVerdict('```json\n{"score": "0.8", "reason": "ok"}\n```')).toEqual({ score: 0.8, reason: 'ok' });
    // Outside 0..1 is an error (the runner records it as unscored), never clamped to 1.
    expect(parseVerdict('{"score": 3}')).toBeUndefined();
    expect(parseVerdict('{"score": ""}')).toBeUndefined();
    expect(parseVerdict('no json here')).toBeUndefined();
    expect(parseVerdict('{"grade": 1}')).toBeUndefined();
  });
});
