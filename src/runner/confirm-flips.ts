/**
 * The stages of a run after the first pass of the candidates. First the sampled baseline's own
 * first pass, for the cases that need it (casesNeedingBaseline). Then confirmation: the cases whose candidate passed less
 * often than the baseline (flips) are re-run, one more run per side and round, until each is
 * decided (see compare/confirm.ts for the statistics). Rounds re-read results.jsonl, so a
 * resumed run picks up the confirmation runs it already has, and the decision is exactly the
 * one `compareResults` will report. The same function drives the seeded simulations of
 * compare/simulate.ts, with synthetic runs in place of model calls.
 */
import { casesNeedingBaseline, findFlips, flipCandidates, type Flip } from '../compare/compare.js';
import type { CaseResult } from './result.js';
import type { RunCounts, RunPlan, RunVariant } from './run-plan.js';
import type { WorkUnit } from './run-case.js';
import { itemKey, loadItem, readAhead, readAheadOf, type PlanItem } from './plan-items.js';

export interface ConfirmDeps {
  /** Every result so far (the run's results.jsonl, or a simulation's lines); iterated more than once. */
  read: () => Promise<Iterable<CaseResult>>;
  /** Runs units whose cases are read as they come up. */
  runUnits: (units: AsyncIterable<WorkUnit>) => Promise<void>;
  flush: () => Promise<void>;
  /** True once the run is interrupted or the budget is spent. */
  stop: () => boolean;
  counts: RunCounts;
}

/** Runs confirmation rounds until no flip needs more runs. Returns the flips as they ended. */
export async function confirmFlips(plan: Pick<RunPlan, 'items' | 'variants' | 'repeat' | 'concurrency'>, confirm: NonNullable<RunPlan['confirm']>, deps: ConfirmDeps): Promise<Flip[]> {
  const firstPass = Math.max(1, plan.repeat ?? 1);
  // Items only (ids and readers): the cases of the units below are read as they run. The index
  // is built only when some case needs another run (most runs of a large suite need none).
  let index: Map<string, PlanItem> | undefined;
  const cases = { get: (key: string) => (index ??= new Map(plan.items.map((i) => [itemKey(i), i]))).get(key) };
  const ahead = readAheadOf(plan.concurrency ?? 8);
  const variants = new Map(plan.variants.map((v) => [v.name, v]));
  const baseline = plan.variants.find((v) => v.role === 'baseline');
  // The sampled baseline's first pass, only where it can matter (see casesNeedingBaseline).
  if (baseline && !confirm.baselineRun) {
    const need = casesNeedingBaseline(await deps.read());
    const specs: UnitSpec[] = [];
    for (const key of need) {
      const item = cases.get(key);
      if (!item) continue;
      for (let r = 0; r < firstPass; r++) specs.push({ item, variant: baseline, repeat: r, role: 'baseline' });
    }
    deps.counts.total += specs.length;
    await deps.runUnits(unitsOf(specs, ahead));
    await deps.flush();
  }
  let flips: Flip[] = [];
  for (let round = 0; round <= confirm.gate.confirm.maxRuns; round++) {
    const results = await deps.read();
    // Only cases with a failing candidate run can flip: the others are never grouped and analysed
    // (at 100,000 cases that state was the run's peak of memory).
    const { cases: candidates, groups } = flipCandidates(results);
    const subset = { *[Symbol.iterator]() { for (const r of results) if (candidates.has(r.dataset, r.caseId)) yield r; } };
    flips = findFlips(subset, { gate: confirm.gate, incidents: incidentsOf(results, confirm.incidents), ...(confirm.baselineRun ? { baselineRun: confirm.baselineRun } : {}) }, groups);
    const open = flips.filter((f) => f.state === 'more');
    if (open.length === 0 || deps.stop() || !confirm.gate.confirm.enabled) break;
    // Next free repeat index per case × variant: errored re-runs keep their index too.
    const next = new Map<string, number>();
    for (const r of subset) {
      const k = `${r.dataset}\u0000${r.caseId}\u0000${r.variant}`;
      next.set(k, Math.max(next.get(k) ?? firstPass, r.repeat + 1));
    }
    const nextRepeat = (f: Flip, variant: string): number => next.get(`${f.dataset}\u0000${f.caseId}\u0000${variant}`) ?? firstPass;
    const specs: UnitSpec[] = [];
    const baseScheduled = new Set<string>();
    for (const f of open) {
      const item = cases.get(`${f.dataset}\u0000${f.caseId}`);
      const variant = variants.get(f.variant);
      if (!item || !variant) continue;
      specs.push(confirmSpec(item, variant, nextRepeat(f, variant.name)));
      // The baseline's confirmation runs are shared by every variant that flipped on the case.
      const key = `${f.dataset}\u0000${f.caseId}`;
      if (f.sampled && baseline && f.counts.baseRuns < f.plan.runs && !baseScheduled.has(key)) {
        baseScheduled.add(key);
        specs.push(confirmSpec(item, baseline, nextRepeat(f, baseline.name)));
      }
    }
    deps.counts.total += specs.length;
    await deps.runUnits(unitsOf(specs, ahead));
    await deps.flush();
  }
  return flips;
}

/** A unit before its case is read. */
interface UnitSpec extends Omit<WorkUnit, 'case' | 'dataset'> {
  item: PlanItem;
}

function confirmSpec(item: PlanItem, variant: RunVariant, repeat: number): UnitSpec {
  return { item, variant, repeat, phase: 'confirm', ...(variant.role ? { role: variant.role } : {}) };
}

/** The specs' units, each case read when its unit comes up (a bounded number ahead). */
async function* unitsOf(specs: readonly UnitSpec[], ahead: number): AsyncGenerator<WorkUnit> {
  for await (const [{ item, ...rest }, c] of readAhead(specs, (s) => loadItem(s.item), ahead)) yield { ...rest, dataset: item.dataset, case: c };
}

/** Incidents by `dataset\0caseId`: the plan's, and those the results carry (cases read this run or earlier). */
function incidentsOf(results: Iterable<CaseResult>, known: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let out: Map<string, string> | undefined;
  for (const r of results) {
    if (r.incident === undefined) continue;
    const key = `${r.dataset}\u0000${r.caseId}`;
    if (known.get(key) === r.incident) continue;
    out ??= new Map(known);
    out.set(key, r.incident);
  }
  return out ?? known;
}
