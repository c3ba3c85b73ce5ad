/**
 * The gate's calibration as a tested property: seeded simulations through the real first-pass
 * bookkeeping, confirmation rounds, comparison and exit code (src/runner/simulate.ts), with
 * only the model call replaced by a Bernoulli draw. Counts, not timings.
 */
import { describe, expect, it } from 'vitest';
import { betaSuite, realisticSuite, simulateRun, type SimCase, type SimOptions } from '../../src/runner/simulate.js';

async function redRate(runs: number, suite: (seed: number) => SimCase[], opts: Omit<SimOptions, 'seed'> = {}): Promise<{ rate: number; extra: number }> {
  let red = 0;
  let extra = 0;
  for (let s = 1; s <= runs; s++) {
    const o = await simulateRun(suite(s), { ...opts, seed: 1_000_003 * s });
    if (o.exitCode !== 0) red++;
    extra += o.confirmationRuns;
  }
  return { rate: red / runs, extra: extra / runs };
}

const regressedFirst = (k: number) => (): SimCase[] => realisticSuite().map((c, i) => (i < k ? { ...c, pCand: 0 } : c));

describe('gate calibration (seeded simulation)', { timeout: 240_000 }, () => {
  it('A/A on the realistic suite (70% pass, 20% fail, 10% flaky at 0.5): ≤ 5% false alarms over 1,000 runs', async () => {
    const { rate, extra } = await redRate(1000, () => realisticSuite());
    expect(rate).toBeLessThanOrEqual(0.05);
    // Confirmation is cheap on a stable suite: a few dozen extra runs on a 400-run suite.
    expect(extra).toBeLessThan(80);
  });

  it('A/A with Beta-distributed pass rates: ≤ 5% false alarms over 1,000 runs', async () => {
    const { rate } = await redRate(1000, (seed) => betaSuite(200, 0.5, 0.5, seed));
    expect(rate).toBeLessThanOrEqual(0.05);
  });

  it('A/A with repeats, 5 metrics × 3 variants: ≤ 5% (repeats clustered, Holm across the family)', async () => {
    const { rate: repeated } = await redRate(150, () => realisticSuite(), { repeat: 3 });
    expect(repeated).toBeLessThanOrEqual(0.05);
    const { rate: family } = await redRate(150, () => realisticSuite(), { metrics: 5, variants: ['a', 'b', 'c'] });
    expect(family).toBeLessThanOrEqual(0.05);
  });

  it('a true 10-point drop at n = 200 (20 passing cases now fail) is detected ≥ 80%, and exactly those cases regress', async () => {
    let detected = 0;
    let exact = 0;
    for (let s = 1; s <= 200; s++) {
      const o = await simulateRun(regressedFirst(20)(), { seed: 7 * s });
      if (o.exitCode === 1) detected++;
      const planted = new Set(Array.from({ length: 20 }, (_, i) => `c${i}|candidate`));
      if (o.regressed.every((id) => planted.has(id))) exact++;
    }
    expect(detected / 200).toBeGreaterThanOrEqual(0.8);
    expect(exact / 200).toBeGreaterThanOrEqual(0.95);
  });

  it('a spread 10-point drop (every case 10 points worse) is caught by the metric test ≥ 80%', async () => {
    const suite = (): SimCase[] => realisticSuite().map((c) => ({ ...c, pBase: c.pBase === 0 ? 0.1 : c.pBase, pCand: c.pBase === 0 ? 0 : c.pBase - 0.1 }));
    const { rate } = await redRate(200, suite);
    expect(rate).toBeGreaterThanOrEqual(0.8);
  });

  it('planted flaky cases (p = 0.5 both sides) are not regressed', async () => {
    const suite = (): SimCase[] => Array.from({ length: 60 }, (_, i) => ({ id: `f${i}`, pBase: i < 30 ? 0.5 : 1 }));
    let wrong = 0;
    for (let s = 1; s <= 300; s++) if ((await simulateRun(suite(), { seed: s })).regressed.some((id) => id.startsWith('f') && Number(id.slice(1, id.indexOf('|'))) < 30)) wrong++;
    expect(wrong / 300).toBeLessThanOrEqual(0.05);
  });

  it('an incident case that still reproduces fails every time; one that holds never does', async () => {
    const suite = (candP: number) => (): SimCase[] => [...realisticSuite(40), { id: 'inc', pBase: 0, pCand: candP, incident: 'INC-1' }];
    expect((await redRate(50, suite(0))).rate).toBe(1);
    expect((await redRate(50, suite(1))).rate).toBeLessThanOrEqual(0.05);
  });

  it('a recorded-only baseline (module/http pipeline) still confirms a stable regression', async () => {
    const o = await simulateRun(regressedFirst(1)(), { seed: 3, baseline: 'recorded' });
    expect(o.regressed).toEqual(['c0|candidate']);
    expect(o.exitCode).toBe(1);
  });
});
