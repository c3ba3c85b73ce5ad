/**
 * The RAG judges and pairwise through the real CLI (module pipeline, fake provider as the judge
 * over HTTP): `faithfulness` with its judge, `answer-relevance`, `context-relevance` (on the
 * candidate's own retrieval when it re-ran one) and `pairwise` (both orders, disagreement a tie)
 * each fail the case planted for it and pass the others; per-tag and per-evaluator breakdowns
 * appear in run.json and summary.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { Case } from '../../src/datasets/case.js';
import type { RunReportJson } from '../../src/reporters/json.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');
const judge = (anyText: string, score: number) => ({ when: { system: 'strict evaluator', anyText }, reply: { content: `{"score": ${score}, "reason": "planted ${score}"}` } });
const winner = (anyText: string, w: string) => ({ when: { system: 'compare two answers', anyText }, reply: { content: `{"winner": "${w}", "reason": "planted ${w}"}` } });

let fake: FakeProvider;
let dir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      judge('Faithfulness[\\s\\S]*Answer to grade:[\\s\\S]*MARK-UNFAITHFUL', 0.1),
      judge('Faithfulness', 0.9),
      judge('Answer relevance[\\s\\S]*Answer to grade:[\\s\\S]*MARK-OFFTOPIC', 0.05),
      judge('Answer relevance', 0.95),
      judge('Context relevance[\\s\\S]*\\(kb-unrelated\\)', 0.1),
      judge('Context relevance', 0.9),
      winner('Answer A:\\s+[^\\n]*MARK-WORSE', 'B'),
      winner('Answer B:\\s+[^\\n]*MARK-WORSE', 'A'),
      winner('Answer A:\\s+[^\\n]*MARK-BETTER', 'A'),
      winner('Answer B:\\s+[^\\n]*MARK-BETTER', 'B'),
      // Position bias: always the first answer. Asked in both orders, that is a tie.
      winner('MARK-BIASED', 'A'),
      { when: { system: 'compare two answers' }, reply: { content: '{"winner": "tie", "reason": "same"}' } },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-rag-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  const show = async (): Promise<Case[]> => {
    const r = await runCli(['datasets', 'show', 'bot@latest', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { cases: Case[] }).cases;
  };
  const find = (cases: Case[], re: RegExp): Case => cases.find((c) => re.test(c.input.query ?? ''))!;
  // Tagging rewrites the case (its id is its content's hash): tag first, then read the ids.
  for (const [re, tag] of [[/damaged/i, 'refunds'], [/shipping take/i, 'shipping'], [/warranty/i, 'refunds']] as const) {
    const t = await runCli(['datasets', 'tag', 'bot@latest', find(await show(), re).id, tag], { cwd: dir });
    expect(t.code, t.stderr).toBe(0);
  }
  const cases = await show();
  for (const [key, re] of Object.entries({ damaged: /damaged/i, shipping: /shipping take/i, warranty: /warranty/i, gift: /gift card/i, address: /delivery address/i })) ids[key] = find(cases, re).id;
  writeFileSync(
    path.join(dir, 'pipeline.ts'),
    `import type { ModuleFunction } from ${JSON.stringify(path.join(REPO, 'src/pipelines/module.ts'))};
const run: ModuleFunction = async (input, ctx) => {
  const q = input.query ?? '';
  const recorded = ctx.captured.case.recorded.output ?? '';
  if (/damaged/i.test(q)) return recorded + ' MARK-UNFAITHFUL MARK-WORSE';
  if (/shipping take/i.test(q)) return 'MARK-OFFTOPIC Our store opens at 9. MARK-BIASED';
  if (/warranty/i.test(q)) return recorded + ' MARK-BETTER';
  if (/gift card/i.test(q)) {
    ctx.recordStep({ spanId: 'r1', name: 'retrieve', durationMs: 1, status: 'ok', step: { type: 'retrieval', documents: [{ id: 'kb-unrelated', content: 'Opening hours.' }] } });
  }
  return recorded;
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
judge: { model: judge-m }
evaluators:
  - type: faithfulness
    judge: true
    threshold: 0
    strictNumbers: false
  - type: answer-relevance
  - type: context-relevance
  - type: pairwise
    rubric: The better answer states the correct policy and promises nothing else.
gate:
  confirm: { enabled: false }
`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('RAG judges and pairwise in a run', () => {
  it('each judge fails its planted case and passes the rest; breakdowns in run.json and summary.md', async () => {
    const r = await runCli(['run', '--run-id', 'rag'], { cwd: dir });
    // The case with no recorded answer leaves pairwise unscored: the gate fails on it (exit 3 when nothing else decides, 1 otherwise).
    expect([1, 3], r.stderr + r.stdout).toContain(r.code);
    const rows = readFileSync(path.join(dir, 'reports/rag/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const score = (key: string, name: string) => rows.find((x) => x.caseId === ids[key])!.scores.find((s) => s.name === name)!;

    expect(score('damaged', 'faithfulness')).toMatchObject({ score: 0.1, pass: false });
    expect(score('warranty', 'faithfulness')).toMatchObject({ score: 0.9, pass: true });

    expect(score('shipping', 'answer-relevance')).toMatchObject({ score: 0.05, pass: false });
    expect(score('damaged', 'answer-relevance')).toMatchObject({ score: 0.95, pass: true });

    expect(score('gift', 'context-relevance')).toMatchObject({ score: 0.1, pass: false });
    expect(score('gift', 'context-relevance').reason).toContain("the candidate's retrieval");
    expect(score('damaged', 'context-relevance')).toMatchObject({ score: 0.9, pass: true });
    expect(score('damaged', 'context-relevance').reason).toContain('the recorded retrieval');

    expect(score('damaged', 'pairwise')).toMatchObject({ score: 0, pass: false });
    expect(score('damaged', 'pairwise').reason).toContain('worse than production in both orders');
    expect(score('warranty', 'pairwise')).toMatchObject({ score: 1, pass: true });
    expect(score('shipping', 'pairwise')).toMatchObject({ score: 0.5, pass: true });
    expect(score('shipping', 'pairwise').reason).toContain('disagreed with itself');
    expect(score('gift', 'pairwise')).toMatchObject({ score: 0.5, pass: true, reason: 'tie: the same answer as production' });
    expect(score('address', 'pairwise')).toMatchObject({ state: 'unscored' });
    expect(score('address', 'pairwise').reason).toContain("needs production's recorded answer");

    // Every judge call went to the suite's judge model.
    const judged = fake.requests.filter((q) => /strict evaluator|compare two answers/.test(JSON.stringify(q.body)));
    expect(judged.length).toBeGreaterThan(10);
    expect(new Set(judged.map((q) => q.model))).toEqual(new Set(['judge-m']));

    const run = JSON.parse(readFileSync(path.join(dir, 'reports/rag/run.json'), 'utf8')) as RunReportJson;
    const tags = run.summary.breakdowns.tags.filter((g) => g.variant === 'candidate');
    expect(tags.map((g) => [g.group, g.cases])).toEqual([['refunds', 2], ['shipping', 1]]);
    expect(tags.find((g) => g.group === 'shipping')).toMatchObject({ passed: 0, passRate: 0 });
    expect(run.summary.breakdowns.datasets.find((g) => g.group === 'bot' && g.variant === 'candidate')).toMatchObject({ cases: 8 });
    const ev = (name: string) => run.summary.breakdowns.evaluators.find((m) => m.evaluator === name && m.variant === 'candidate');
    expect(ev('answer-relevance')).toMatchObject({ passed: (ev('answer-relevance')?.runs ?? 0) - 1 });
    expect(ev('pairwise')).toMatchObject({ unscored: 1 });
    expect(run.judge?.evaluators.map((e) => [e.evaluator, e.model])).toEqual([['faithfulness', 'judge-m'], ['answer-relevance', 'judge-m'], ['context-relevance', 'judge-m'], ['pairwise', 'judge-m']]);

    const md = readFileSync(path.join(dir, 'reports/rag/summary.md'), 'utf8');
    expect(md).toMatch(/\| tag \| refunds \| candidate \| \d \| 2 \|/);
    expect(md).toContain('| tag | shipping | candidate | 0 | 1 | 0.0% |');
    expect(md).toMatch(/\| pairwise \| candidate \| \d+ \| \d+ \| [\d.]+% \| [\d.]+ \| 1 \|/);
  });
});
