import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { bootstrapMeanCi, mcnemarExact, percentile } from '../../src/compare/stats.js';
import { DEFAULT_GATE } from '../../src/config/schema.js';
import type { CaseResult } from '../../src/runner/result.js';

function result(caseId: string, pass: boolean, basePass: boolean | undefined, extra: Partial<CaseResult> = {}): CaseResult {
  const s = (p: boolean) => [{ name: 'contains', score: p ? 1 : 0, pass: p, reason: '' }];
  return {
    caseId,
    variant: 'candidate',
    repeat: 0,
    dataset: 'd',
    output: 'x',
    latencyMs: 100,
    scores: s(pass),
    pass,
    ...(basePass === undefined ? {} : { baseline: { scores: s(basePass), pass: basePass, output: 'y' } }),
    startedAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

describe('compareResults', () => {
  it('labels fixed, regressed, unchanged, new and errored cases', () => {
    const cmp = compareResults(
      [result('a', true, false), result('b', false, true), result('c', true, true), result('d', false, false), result('e', true, undefined), result('f', false, true, { error: { message: 'HTTP 500' } })],
      { gate: DEFAULT_GATE },
    );
    const v = Object.fromEntries(cmp.cases.map((c) => [c.caseId, c.verdict]));
    expect(v).toEqual({ a: 'fixed', b: 'regressed', c: 'unchanged-pass', d: 'unchanged-fail', e: 'new', f: 'errored' });
    expect(cmp.cases.find((c) => c.caseId === 'b')?.changes).toEqual(['contains: pass → fail']);
    expect(cmp.variants[0]).toMatchObject({ total: 6, passed: 3, failed: 2, errored: 1, fixed: 1, regressed: 1, unchanged: 2 });
    expect(cmp.gate.status).toBe('fail');
  });

  it('passes when nothing regressed and says what was fixed', () => {
    const cmp = compareResults([result('a', true, false), result('c', true, true)], { gate: DEFAULT_GATE });
    expect(cmp.gate).toEqual({ status: 'pass', reasons: ['no regressions; 1 case(s) fixed'] });
  });

  it('fails on an incident regression even when regressions are tolerated', () => {
    const gate = { ...DEFAULT_GATE, maxRegressions: 5 };
    const cmp = compareResults([result('inc', false, true)], { gate, incidents: new Map([['inc', 'INC-42']]) });
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons[0]).toContain('incident INC-42');
    const noIncident = compareResults([result('x', false, true)], { gate });
    expect(noIncident.gate.status).toBe('pass');
  });

  it('separates flaky cases from regressions with repeats', () => {
    const cmp = compareResults([result('a', true, true, { repeat: 0 }), result('a', false, true, { repeat: 1 })], { gate: DEFAULT_GATE });
    expect(cmp.cases[0]).toMatchObject({ verdict: 'unchanged-pass', flaky: true, candidatePassRate: 0.5 });
    expect(cmp.gate.status).toBe('pass');
  });

  it('is inconclusive, not failed, when calls error', () => {
    const cmp = compareResults([result('a', true, true), result('b', false, true, { error: { message: 'timeout' } })], { gate: DEFAULT_GATE });
    expect(cmp.gate.status).toBe('inconclusive');
    const all = compareResults([result('b', false, true, { error: { message: 'timeout' } })], { gate: DEFAULT_GATE });
    expect(all.gate.reasons[0]).toContain('every case run errored');
  });

  it('compares with another run and reports missing cases', () => {
    const entries = new Map([
      ['a|candidate', { pass: true, scores: [{ name: 'contains', score: 1, pass: true, reason: '' }] }],
      ['gone|candidate', { pass: true, scores: [] }],
    ]);
    const cmp = compareResults([result('a', false, undefined)], { gate: DEFAULT_GATE, baselineRun: { label: 'main', entries } });
    expect(cmp.baseline).toEqual({ kind: 'run', label: 'main' });
    expect(cmp.cases.map((c) => [c.caseId, c.verdict])).toEqual([
      ['a', 'regressed'],
      ['gone', 'missing'],
    ]);
  });

  it('flags a significant metric drop beyond the tolerance', () => {
    const rs = Array.from({ length: 40 }, (_, i) => result(`c${i}`, i % 4 !== 0, true));
    const cmp = compareResults(rs, { gate: { ...DEFAULT_GATE, maxRegressions: 100 } });
    const m = cmp.metrics[0]!;
    expect(m.delta).toBeCloseTo(-0.25, 5);
    expect(m.ci![1]).toBeLessThan(0);
    expect(m.pValue).toBeLessThan(0.01);
    expect(cmp.gate.status).toBe('fail');
    expect(cmp.gate.reasons.some((r) => r.includes('contains (candidate) mean dropped'))).toBe(true);
  });
});

describe('stats', () => {
  it('McNemar exact p-values', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 0)).toBeCloseTo(0.0625, 6);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(1000, 900)).toBeGreaterThan(0);
  });

  it('bootstrap interval contains the mean and is deterministic', () => {
    const d = [0.1, 0.2, 0.3, -0.1, 0.05, 0.15];
    const ci = bootstrapMeanCi(d)!;
    expect(ci[0]).toBeLessThan(0.1166);
    expect(ci[1]).toBeGreaterThan(0.1166);
    expect(bootstrapMeanCi(d)).toEqual(ci);
    expect(bootstrapMeanCi([1])).toBeUndefined();
  });

  it('percentile by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
