/**
 * The gate's promise through the real CLI and the fake provider over HTTP: a nondeterministic
 * model (seeded `sometimes` replies) on a no-change run stays green; a planted regression fails
 * on exactly its cases; and every path that evaluated nothing, or errored, is red.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

const STABLE = 16;
const FAILING = 4;
const FLAKY = 4;

/** One imported case per line: the user turn names the kind of case (the fake's rules key on it). */
function rows(): string {
  const row = (text: string, extra: Record<string, unknown> = {}) => JSON.stringify({ input: { messages: [{ role: 'user', content: text }], model: 'gpt-4o-mini' }, output: 'OK', ...extra });
  return [
    ...Array.from({ length: STABLE }, (_, i) => row(`stable-${i}`)),
    ...Array.from({ length: FAILING }, (_, i) => row(`failing-${i}`, { output: 'NOPE' })),
    ...Array.from({ length: FLAKY }, (_, i) => row(`flaky-${i}`)),
  ].join('\n');
}

function config(body: string): string {
  return `datasets: [suite]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
evaluators:
  - type: contains
    value: OK
run:
  concurrency: 1
  retries: 0
${body}`;
}

async function run(id: string, body: string, extra: string[] = []) {
  writeFileSync(path.join(dir, 'evals.config.yaml'), config(body));
  const r = await runCli(['run', '--run-id', id, '--no-cache', ...extra], { cwd: dir, timeoutMs: 120_000 });
  const runJson = (): { status: string; comparison: Comparison } => JSON.parse(readFileSync(path.join(dir, 'reports', id, 'run.json'), 'utf8'));
  const results = (): CaseResult[] => readFileSync(path.join(dir, 'reports', id, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
  return { ...r, runJson, results };
}

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'BROKEN', user: 'stable-[01]$' }, reply: { content: 'NOPE' } },
      { when: { user: 'stable' }, reply: { content: 'OK' } },
      { when: { user: 'failing' }, reply: { content: 'NOPE' } },
      { when: { user: 'flaky' }, reply: { content: 'OK' }, sometimes: [{ p: 0.5, reply: { content: 'NOPE' } }] },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-gate-'));
  writeFileSync(path.join(dir, 'rows.jsonl'), `${rows()}\n`);
  for (const name of ['suite', 'other']) {
    const r = await runCli(['datasets', 'import', name, 'rows.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  }
  mkdirSync(path.join(dir, 'evaluators'));
  writeFileSync(path.join(dir, 'evaluators/throws.ts'), `export default { name: 'throws', evaluate() { throw new Error('grader crashed'); } };\n`);
  writeFileSync(path.join(dir, 'evaluators/hangs.ts'), `export default { name: 'hangs', evaluate: () => new Promise(() => {}) };\n`);
  writeFileSync(path.join(dir, 'evaluators/nan.ts'), `export default { name: 'nan', evaluate: () => ({ score: NaN, pass: true, reason: '' }) };\n`);
  writeFileSync(path.join(dir, 'evaluators/big.ts'), `export default { name: 'big', evaluate: () => ({ score: 7, pass: true, reason: '' }) };\n`);
  writeFileSync(path.join(dir, 'pipeline.ts'), `export default async (input: { messages: Array<{ content: string }> }) => {\n  const text = input.messages[0]!.content;\n  if (/stable-[0-2]$/.test(text)) throw new TypeError('cannot read properties of undefined');\n  return { output: text.startsWith('failing') ? 'NOPE' : 'OK' };\n};\n`);
});

afterAll(async () => {
  await fake.close();
});

describe('the gate on a nondeterministic model', () => {
  it('a no-change run is green: flips on flaky cases are re-run and found to be noise', async () => {
    const r = await run('aa', 'variants:\n  - name: candidate\n');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('gate: PASS');
    const cmp = r.runJson().comparison;
    expect(cmp.cases.filter((c) => c.verdict === 'regressed')).toEqual([]);
    expect(cmp.baseline.kind).toBe('replay');
    // The baseline is sampled (production's prompt and model replayed) exactly where it can
    // matter: the cases whose candidate did not pass. A stable passing case costs one call.
    const results = r.results();
    const notPassing = new Set(results.filter((x) => x.role === undefined && x.phase === undefined && !x.pass).map((x) => x.caseId));
    expect(new Set(results.filter((x) => x.role === 'baseline' && x.phase === undefined).map((x) => x.caseId))).toEqual(notPassing);
    expect(notPassing.size).toBeGreaterThanOrEqual(FAILING);
  });

  it('a planted regression fails on exactly its cases, confirmed by re-runs', async () => {
    const r = await run('planted', 'variants:\n  - name: candidate\n    systemPrompt: BROKEN\n');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const cmp = r.runJson().comparison;
    const regressed = cmp.cases.filter((c) => c.verdict === 'regressed');
    expect(regressed).toHaveLength(2);
    for (const c of regressed) {
      expect(c.evidence).toMatch(/^confirmed: candidate passed 0\/\d+ re-runs, baseline \d+\/\d+ re-runs/);
      expect(c.confirmation!.candRuns).toBeGreaterThanOrEqual(3);
    }
    expect(r.stdout).toMatch(/2 case\(s\) regressed \(at most 0 allowed\)/);
    const confirm = r.results().filter((x) => x.phase === 'confirm');
    expect(confirm.some((x) => x.role === 'baseline')).toBe(true);
  });
});

describe('nothing unchecked is green', () => {
  it('a candidate pipeline that throws on previously passing cases fails the gate', async () => {
    const r = await run('crash', 'pipeline: { type: module, path: pipeline.ts }\nvariants:\n  - name: candidate\n');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const cmp = r.runJson().comparison;
    expect(cmp.baseline.kind).toBe('recorded');
    expect(cmp.cases.filter((c) => c.verdict === 'regressed').map((c) => c.caseId)).toHaveLength(3);
  });

  it('an evaluator that throws on every case: nothing was evaluated, exit 3', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: candidate\n').replace('  - type: contains\n    value: OK\n', '  - type: throws\n'));
    const t = await runCli(['run', '--run-id', 'throws2', '--no-cache'], { cwd: dir });
    expect(t.code, t.stdout + t.stderr).toBe(3);
    expect(t.stdout).toMatch(/nothing was evaluated .* unscored/);
    const res = readFileSync(path.join(dir, 'reports/throws2/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    expect(res[0]!.scores[0]).toMatchObject({ name: 'throws', state: 'unscored', pass: false });
    expect(res[0]!.scores[0]!.reason).toContain('grader crashed');
  });

  it('a hanging evaluator times out as unscored; the run completes and fails', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: candidate\n').replace('run:\n', 'run:\n  evaluatorTimeoutMs: 100\n').replace('  - type: contains\n    value: OK\n', '  - type: contains\n    value: OK\n  - type: hangs\n'));
    const r = await runCli(['run', '--run-id', 'hangs', '--no-cache', '-d', 'suite'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(JSON.parse(readFileSync(path.join(dir, 'reports/hangs/run.json'), 'utf8')).status).toBe('completed');
    const res = readFileSync(path.join(dir, 'reports/hangs/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    expect(res[0]!.scores.find((x) => x.name === 'hangs')).toMatchObject({ state: 'unscored', reason: 'unscored: evaluator "hangs" did not finish within 100 ms (run.evaluatorTimeoutMs)' });
  });

  it('NaN and out-of-range scores are evaluator errors naming the evaluator, not a crash', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: candidate\n').replace('  - type: contains\n    value: OK\n', '  - type: contains\n    value: OK\n  - type: nan\n  - type: big\n'));
    const r = await runCli(['run', '--run-id', 'nan', '--no-cache'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const res = readFileSync(path.join(dir, 'reports/nan/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const scores = res[0]!.scores;
    expect(scores.find((s) => s.name === 'nan')).toMatchObject({ state: 'unscored' });
    expect(scores.find((s) => s.name === 'nan')!.reason).toContain('evaluator "nan" returned score null');
    expect(scores.find((s) => s.name === 'big')!.reason).toContain('evaluator "big" returned score 7, outside 0..1');
  });

  it('provider errors on most calls fail the gate', async () => {
    const broken = await startFakeProvider({ faults: { rate500: 0.7, seed: 3 } });
    try {
      writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: candidate\n').replace(fake.url, broken.url));
      const r = await runCli(['run', '--run-id', 'errors', '--no-cache'], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/candidate run\(s\) \(\d+(\.\d)?%\) got no output \(\d+ errored: provider or setup, 0 skipped\), above the 5% tolerance/);
    } finally {
      await broken.close();
    }
  });

  it('a run where nothing could be replayed exits 3', async () => {
    writeFileSync(path.join(dir, 'empty.jsonl'), `${JSON.stringify({ input: { messages: [] }, output: 'x' })}\n`);
    const imp = await runCli(['datasets', 'import', 'empty', 'empty.jsonl'], { cwd: dir });
    expect(imp.code, imp.stderr).toBe(0);
    const r = await run('skipped', 'variants:\n  - name: candidate\n', ['-d', 'empty']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain('gate: FAIL');
    expect(r.stdout).toMatch(/nothing was evaluated/);
  });

  it('a budget that stops the run is never green', async () => {
    const zero = await runCli(['run', '--run-id', 'budget0', '--max-cost', '0'], { cwd: dir });
    expect(zero.code, zero.stdout + zero.stderr).toBe(2);
    // One call costs more than the whole budget: every later case is skipped.
    const r = await run('budget', 'variants:\n  - name: candidate\npricing:\n  gpt-4o-mini: { input: 100000, output: 100000 }\n', ['--max-cost', '0.000001']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('gate: FAIL');
    expect(r.stdout).toMatch(/candidate run\(s\) \(\d+(\.\d)?%\) got no output \(0 errored: provider or setup, \d+ skipped\), above the 5% tolerance/);
  });

  it('the same case id in two datasets is two cases', async () => {
    const r = await run('two', 'variants:\n  - name: candidate\n', ['-d', 'suite', '-d', 'other']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cmp = r.runJson().comparison;
    expect(cmp.cases.filter((c) => c.dataset === 'suite')).toHaveLength(STABLE + FAILING + FLAKY);
    expect(cmp.cases.filter((c) => c.dataset === 'other')).toHaveLength(STABLE + FAILING + FLAKY);
  });
});

describe('comparing runs', () => {
  it('a renamed variant is matched with the baseline run\'s only variant; regressions are found, not "new"', async () => {
    const base = await run('main', 'variants:\n  - name: old-name\n');
    expect(base.code, base.stdout).toBe(0);
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: new-name\n    systemPrompt: BROKEN\n'));
    const r = await runCli(['run', '--run-id', 'renamed', '--no-cache', '--baseline', 'reports/main'], { cwd: dir });
    const cmp = JSON.parse(readFileSync(path.join(dir, 'reports/renamed/run.json'), 'utf8')).comparison as Comparison;
    expect(cmp.baseline.kind).toBe('run');
    expect(cmp.cases.filter((c) => c.verdict === 'new')).toEqual([]);
    expect(cmp.cases.filter((c) => c.verdict === 'regressed' || c.verdict === 'unconfirmed').map((c) => c.caseId).length).toBe(2);
    expect(r.code).toBe(1);
  });

  it('against a baseline run with several variants, an unmatched variant is a usage error', async () => {
    const two = await run('two-variants', 'variants:\n  - name: a\n  - name: b\n');
    expect(two.code, two.stdout).toBe(0);
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('variants:\n  - name: c\n'));
    const r = await runCli(['run', '--run-id', 'unmatched', '--no-cache', '--baseline', 'reports/two-variants'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('variant "c" is not in the baseline run');
    expect(r.stderr).toContain('--baseline-variant');
  });

  it('evals compare and evals report go through the same comparison and gate, with no model call', async () => {
    const before = fake.stats.total;
    // Another run is a fixed baseline (one run a case) and compare cannot re-run anything: the
    // planted drops are flagged but cannot be confirmed from the runs alone, so: inconclusive.
    const c = await runCli(['compare', 'reports/main', 'reports/planted', '--out', 'reports/cmp'], { cwd: dir });
    expect(c.code, c.stdout + c.stderr).toBe(1);
    expect(c.stdout).toContain('gate: INCONCLUSIVE (baseline: reports/main)');
    const cmp = JSON.parse(readFileSync(path.join(dir, 'reports/cmp/run.json'), 'utf8')).comparison as Comparison;
    const planted = JSON.parse(readFileSync(path.join(dir, 'reports/planted/run.json'), 'utf8')).comparison as Comparison;
    const plantedIds = planted.cases.filter((x) => x.verdict === 'regressed').map((x) => x.caseId).sort();
    expect(cmp.cases.filter((x) => x.verdict === 'unconfirmed').map((x) => x.caseId).sort()).toEqual(plantedIds);
    const rep = await runCli(['report', 'reports/planted'], { cwd: dir });
    expect(rep.code, rep.stdout + rep.stderr).toBe(1);
    expect(rep.stdout).toMatch(/2 case\(s\) regressed/);
    expect(fake.stats.total).toBe(before);
    const md = readFileSync(path.join(dir, 'reports/planted/summary.md'), 'utf8');
    // Terminal, summary.md and run.json agree on the counts.
    const json = JSON.parse(readFileSync(path.join(dir, 'reports/planted/run.json'), 'utf8')) as { summary: { counts: { regressed: number } } };
    expect(json.summary.counts.regressed).toBe(2);
    expect(md).toMatch(/\| 2 \| 0 \| 0 \|/);
    expect(rep.stdout).toMatch(/candidate: \d+ case\(s\): 2 regressed/);
  });
});
