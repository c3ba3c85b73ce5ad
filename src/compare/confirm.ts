/**
 * Sequential confirmation of flips: the statistics behind "a case regresses only when the
 * evidence says its pass rate dropped". Pure: the runner and the simulations both drive it.
 *
 * 1. Screening. After the first pass over the suite, a case × variant whose candidate pass
 *    rate is below its baseline's (the recorded production output counts as one baseline
 *    observation) is a *flip*. Screening only chooses which cases to look at again: its data
 *    never enters the test, so it cannot inflate the false-alarm rate.
 * 2. Confirmation. Each flip gets fresh runs on both sides (the baseline is re-sampled when it
 *    can be: a replay of production's own prompt and model), one pair at a time, and a
 *    one-sided Fisher exact test on those runs alone decides it at level α / (number of
 *    flips) — Bonferroni over the flips, so the whole per-case family stays at α.
 * 3. Curtailment. Runs stop as soon as the final decision at `runs` pairs is settled either
 *    way (the test's p-value is monotone in both counts, so the extremes bound it): a stable
 *    regression costs `runs` pairs, a flaky case usually one or two.
 *
 * When the baseline cannot be re-sampled (another run's results, or only the recorded output of
 * a module/http pipeline), only the candidate is re-run and the test is an exact binomial test
 * that its pass rate is below half the baseline's observed rate.
 */
import { binomialCdf, fisherLess } from './stats.js';

/** Settings of the confirmation stage (from `gate`). */
export interface ConfirmSettings {
  /** False-alarm budget of all per-case decisions together. */
  alpha: number;
  /** Most confirmation runs per side and flip. */
  maxRuns: number;
  /** Runs beyond the minimum that could reach significance, so one odd sample does not decide. */
  slack: number;
}

/** What the confirmation stage does for this suite, fixed once screening is known. */
export interface ConfirmPlan {
  /** Level each flip is tested at. */
  alphaCase: number;
  /** Confirmation runs per side (the test is decided at this many). */
  runs: number;
  /** Flips screened in. */
  flips: number;
  /** True when even `runs` extreme outcomes could not reach `alphaCase` (raise gate.confirm.maxRuns). */
  underpowered: boolean;
}

/** Observed confirmation runs of one flip. */
export interface ConfirmCounts {
  candPass: number;
  candRuns: number;
  /** Baseline confirmation runs (sampled baseline), or its fixed observations. */
  basePass: number;
  baseRuns: number;
}

export type ConfirmState = 'more' | 'regressed' | 'not-regressed';

/** Baseline rate a fixed (un-resamplable) baseline is tested against: half what it showed. */
export function fixedNullRate(basePass: number, baseRuns: number): number {
  return baseRuns > 0 ? basePass / baseRuns / 2 : 0;
}

/** p-value of a finished or partial confirmation (see the file comment). */
export function confirmPValue(c: ConfirmCounts, sampledBaseline: boolean): number {
  return sampledBaseline ? fisherLess(c.candPass, c.candRuns, c.basePass, c.baseRuns) : binomialCdf(c.candPass, c.candRuns, fixedNullRate(c.basePass, c.baseRuns));
}

/** Plans confirmation for `flips` screened cases. */
export function planConfirmation(flips: number, settings: ConfirmSettings, sampledBaseline: boolean, fixedBase = { pass: 1, runs: 1 }): ConfirmPlan {
  const alphaCase = settings.alpha / Math.max(1, flips);
  let minimum = settings.maxRuns + 1;
  for (let n = 1; n <= settings.maxRuns; n++) {
    const best = sampledBaseline
      ? confirmPValue({ candPass: 0, candRuns: n, basePass: n, baseRuns: n }, true)
      : confirmPValue({ candPass: 0, candRuns: n, basePass: fixedBase.pass, baseRuns: fixedBase.runs }, false);
    if (best <= alphaCase) {
      minimum = n;
      break;
    }
  }
  const underpowered = minimum > settings.maxRuns;
  return { alphaCase, runs: Math.min(settings.maxRuns, minimum + settings.slack), flips, underpowered };
}

/**
 * Where one flip stands. `c` counts confirmation runs only (for a fixed baseline, basePass /
 * baseRuns are its fixed observations).
 */
export function confirmState(c: ConfirmCounts, plan: ConfirmPlan, sampledBaseline: boolean): ConfirmState {
  const n = plan.runs;
  const candLeft = Math.max(0, n - c.candRuns);
  const baseLeft = sampledBaseline ? Math.max(0, n - c.baseRuns) : 0;
  const baseTotal = sampledBaseline ? n : c.baseRuns;
  // Most favourable completion for "regressed": every remaining candidate run fails and every
  // remaining baseline run passes. If even that misses α, stop: it cannot be confirmed.
  const best = confirmPValue({ candPass: c.candPass, candRuns: n, basePass: c.basePass + baseLeft, baseRuns: baseTotal }, sampledBaseline);
  if (best > plan.alphaCase) return 'not-regressed';
  // Least favourable completion: if the test still rejects, the decision is already made.
  const worst = confirmPValue({ candPass: c.candPass + candLeft, candRuns: n, basePass: c.basePass, baseRuns: baseTotal }, sampledBaseline);
  if (worst <= plan.alphaCase) return 'regressed';
  return 'more';
}
