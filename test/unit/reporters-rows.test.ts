import { describe, expect, it } from 'vitest';
import { buildRows, countVerdicts, failureReasons } from '../../src/reporters/case-rows.js';
import { syntheticRun } from '../browser/synthetic-run.js';

describe('buildRows', () => {
  it('joins comparison, repeats and cases, worst verdicts first', () => {
    const { input, expected } = syntheticRun(60);
    const rows = buildRows(input);
    expect(rows).toHaveLength(120);
    expect(rows[0]?.verdict).toBe('regressed');
    expect(rows.at(-1)?.verdict).toBe('unchanged-pass');
    expect(rows.find((r) => r.verdict === 'missing')?.results).toEqual([]);
    expect(rows.find((r) => r.verdict === 'fixed')?.results.map((r) => r.repeat)).toEqual([0, 1]);
    const c = countVerdicts(rows);
    expect(c).toMatchObject({ total: 120, regressed: expected.regressed, missing: expected.missing, errored: expected.errored });
    expect(c.passed + c.failed).toBe(120 - expected.missing);
  });

  it('derives verdicts from baseline scores when the run was not compared', () => {
    const { input } = syntheticRun(60);
    const { comparison: _drop, ...run } = input.run;
    const rows = buildRows({ ...input, run });
    const byKey = new Map(rows.map((r) => [`${r.caseId}/${r.variant}`, r.verdict]));
    for (const cmp of input.run.comparison?.cases ?? []) {
      const got = byKey.get(`${cmp.caseId}/${cmp.variant}`);
      if (cmp.verdict === 'missing') expect(got).toBeUndefined();
      else if (cmp.verdict === 'new') expect(got).toBe('fixed'); // the synthetic result still has a failing baseline score
      else expect(got).toBe(cmp.verdict);
    }
  });

  it('falls back to the case id as title when the case is not loaded, and lists reasons', () => {
    const { input } = syntheticRun(20);
    const rows = buildRows({ ...input, cases: new Map() });
    expect(rows.every((r) => r.title === r.caseId && r.case === undefined)).toBe(true);
    const errored = rows.find((r) => r.verdict === 'errored');
    expect(errored && failureReasons(errored)[0]).toMatch(/^error: provider_error: HTTP 500/);
    const regressed = rows.find((r) => r.verdict === 'regressed');
    expect(regressed && failureReasons(regressed)).toEqual(expect.arrayContaining([expect.stringMatching(/^contains: pass → fail/), expect.stringMatching(/^contains \(0\.00\): missing "refund"/)]));
  });
});
