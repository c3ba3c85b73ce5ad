/**
 * What one Vitest test of the integration concludes from its runs (src/vitest/verdict.ts):
 * pass, a known failure production shared, or an assertion failure whose message carries each
 * failing evaluator's reason, the case's diagnosis and the report link.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import type { Score } from '../../src/evaluators/evaluator.js';
import type { CaseResult } from '../../src/runner/result.js';
import { frameIn, pointAt } from '../../src/vitest/call-site.js';
import { checkCase } from '../../src/vitest/verdict.js';
import { makeCase } from './evaluators-helpers.js';

const ok = (name: string): Score => ({ name, score: 1, pass: true, reason: 'fine' });
const bad = (name: string, reason = `${name} said no`): Score => ({ name, score: 0, pass: false, reason });

function result(scores: Score[], over: Partial<CaseResult> = {}): CaseResult {
  return { caseId: 'c_1', variant: 'v2', repeat: 0, dataset: 'support', output: '{"answer":"90 days"}', latencyMs: 5, scores, pass: scores.every((s) => s.pass), startedAt: '2026-01-01T00:00:00Z', ...over };
}

const recorded = (scores: Score[]): CaseResult['recorded'] => ({ scores, pass: scores.every((s) => s.pass), output: 'old' });

const diagnosed: Case = makeCase({
  labels: { flaggedBecause: [], tags: [], diagnosis: [{ label: 'low_relevance_retrieval', spanId: 's1', spanName: 'retrieval kb', reason: 'best score 0.12 is an outlier' }] },
});

describe('checkCase', () => {
  it('passes when every evaluator passes', () => {
    const c = checkCase(diagnosed, [result([ok('a'), ok('b')], { recorded: recorded([bad('a')]) })]);
    expect(c.status).toBe('pass');
  });

  it('fails on an evaluator production passed, with the reason, the output, the diagnosis and the link', () => {
    const c = checkCase(diagnosed, [result([ok('a'), bad('no-archived-policy', 'found "90 days"')], { recorded: recorded([ok('a'), ok('no-archived-policy')]) })], { reportLink: 'file:///r/report.html#case=c_1&variant=v2' });
    expect(c.status).toBe('fail');
    expect(c.message).toContain('c_1 [v2] failed');
    expect(c.message).toContain('✗ no-archived-policy (score 0.00): found "90 days"');
    expect(c.message).toContain('✓ a');
    expect(c.message).toContain('output: "{\\"answer\\":\\"90 days\\"}"');
    expect(c.message).toContain('low_relevance_retrieval in "retrieval kb": best score 0.12 is an outlier');
    expect(c.message).toContain('report: file:///r/report.html#case=c_1&variant=v2');
  });

  it('a failure production shared is a known failure; strict and incident cases count it', () => {
    const runs = [result([bad('json-valid', 'not valid JSON')], { recorded: recorded([bad('json-valid')]) })];
    const known = checkCase(diagnosed, runs);
    expect(known.status).toBe('known-failure');
    expect(known.message).toContain('json-valid: not valid JSON');
    expect(checkCase(diagnosed, runs, { strict: true }).status).toBe('fail');
    const incident = checkCase(makeCase({ labels: { ...diagnosed.labels, incident: 'INC-7' } }), runs);
    expect(incident.status).toBe('fail');
    expect(incident.message).toContain('(incident INC-7: its expectations must hold)');
    expect(incident.message).toContain('[production failed it too]');
  });

  it('a new failure next to a known one fails the test', () => {
    const c = checkCase(diagnosed, [result([bad('a'), bad('b')], { recorded: recorded([bad('a'), ok('b')]) })]);
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/✗ a .*\[production failed it too\]/);
    expect(c.message).toContain('✗ b (score 0.00): b said no');
  });

  it('errors and unscored evaluators always fail, even where production failed', () => {
    const err = checkCase(diagnosed, [result([], { error: { message: '500 from provider', source: 'provider' }, output: null, recorded: recorded([bad('a')]) })]);
    expect(err.status).toBe('fail');
    expect(err.message).toContain('✗ error (provider): 500 from provider');
    const unscored = checkCase(diagnosed, [result([{ name: 'a', score: 0, pass: false, reason: 'unscored: timed out', state: 'unscored' }], { recorded: recorded([bad('a')]) })]);
    expect(unscored.status).toBe('fail');
    expect(unscored.message).toContain('✗ a (unscored): unscored: timed out');
  });

  it('a recorded answer that could not be recovered makes no failure known; not-applicable scores are ignored', () => {
    const missing = checkCase(diagnosed, [result([bad('a')], { recorded: { ...recorded([bad('a')])!, answerMissing: true } })]);
    expect(missing.status).toBe('fail');
    const na = checkCase(diagnosed, [result([ok('a'), { name: 'similarity', score: 0, pass: false, reason: 'n/a', state: 'not_applicable' }])]);
    expect(na.status).toBe('pass');
  });

  it('a run that no evaluator judged (none, or only not-applicable scores) fails: nothing was checked', () => {
    for (const scores of [[], [{ ...ok('retrieval-drift'), state: 'not_applicable' as const }]]) {
      const c = checkCase(diagnosed, [result(scores)]);
      expect(c.status).toBe('fail');
      expect(c.message).toMatch(/nothing evaluated in 1 run\(s\)/);
    }
    expect(checkCase(diagnosed, [result([ok('a'), { ...ok('retrieval-drift'), state: 'not_applicable' }])]).status).toBe('pass');
  });

  it('with repeats, counts the runs each evaluator failed', () => {
    const c = checkCase(diagnosed, [result([bad('a')]), result([ok('a')], { repeat: 1 }), result([bad('a')], { repeat: 2 })]);
    expect(c.status).toBe('fail');
    expect(c.message).toContain('failed in 3 run(s)');
    expect(c.message).toContain('✗ a (score 0.00, 2/3 runs)');
  });

  it('says so when the trace had no diagnosis', () => {
    expect(checkCase(makeCase(), [result([bad('a')])]).message).toContain('diagnosis (production trace): nothing found');
  });
});

describe('failures point at the describeSuite() line', () => {
  const stack = ['Error', '    at describeSuite (file:///p/node_modules/@evals-dev/evals/dist/vitest/describe-suite.js:40:16)', '    at file:///home/u/app/evals.test.ts:3:1', '    at ModuleJob.run (node:internal/modules/esm/module_job:1:1)'].join('\n');

  it('frameIn finds the first frame of the test file, by path or file URL', () => {
    expect(frameIn('/home/u/app/evals.test.ts', stack)).toBe('    at file:///home/u/app/evals.test.ts:3:1');
    expect(frameIn('/home/u/app/evals.test.ts', stack.replace('file:///home', '/home'))).toBe('    at /home/u/app/evals.test.ts:3:1');
    expect(frameIn('/home/u/app/other.test.ts', stack)).toBeUndefined();
  });

  it('pointAt puts that frame on top and keeps the message and the frames', () => {
    const err = pointAt(new Error('c_1 [v2] failed:\n  ✗ a'), '    at file:///home/u/app/evals.test.ts:3:1');
    const lines = err.stack!.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Error: c_1 [v2] failed:', '  ✗ a', '    at file:///home/u/app/evals.test.ts:3:1']);
    expect(lines.length).toBeGreaterThan(3);
    expect(pointAt(err, undefined)).toBe(err);
  });
});
