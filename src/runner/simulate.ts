/**
 * Calibration harness for the gate: a seeded suite of synthetic cases, each with a true pass
 * probability on the baseline side and on the candidate side, run through the REAL first-pass
 * bookkeeping, confirmation rounds (`confirmFlips`), comparison (`compareResults`) and exit
 * code (`exitCodeFor`) — only the model call is replaced by a Bernoulli draw. The tests and
 * `bench/gate-calibration.mjs` use it to measure false alarms on no-change runs and power on
 * planted regressions.
 */
import { compareResults } from '../compare/compare.js';
import { exitCodeFor } from '../compare/gate.js';
import type { Comparison } from '../compare/types.js';
import { DEFAULT_GATE, type GateConfig } from '../config/schema.js';
import type { Case } from '../datasets/case.js';
import { seededRandom } from '../prng.js';
import { confirmFlips } from './confirm-flips.js';
import type { CaseResult } from './result.js';
import type { RunCounts, RunPlan, RunVariant } from './run-plan.js';
import type { WorkUnit } from './run-case.js';

/** One synthetic case: its true pass probability per side and evaluator. */
export interface SimCase {
  id: string;
  /** Pass probability of production's prompt and model (the baseline). */
  pBase: number;
  /** Pass probability of each candidate variant (default: pBase, i.e. no change). */
  pCand?: number | Record<string, number>;
  /** Ties the case to an incident (judged absolutely). */
  incident?: string;
}

export interface SimOptions {
  seed: number;
  /** Candidate variants (default one, `candidate`). */
  variants?: string[];
  /** Evaluators per run; each is drawn independently with the case's probability (default 1). */
  metrics?: number;
  /** First-pass repeats per side (default 1). */
  repeat?: number;
  gate?: Partial<GateConfig>;
  /** `replay` (default): a sampled baseline variant; `recorded`: the recorded output only. */
  baseline?: 'replay' | 'recorded';
}

export interface SimOutcome {
  comparison: Comparison;
  exitCode: number;
  /** Ids of cases (×variant) the gate called regressed. */
  regressed: string[];
  /** Runs spent on confirmation (both sides). */
  confirmationRuns: number;
  firstPassRuns: number;
}

function probability(c: SimCase, variant: string | undefined): number {
  if (variant === undefined) return c.pBase;
  if (c.pCand === undefined) return c.pBase;
  if (typeof c.pCand === 'number') return c.pCand;
  return c.pCand[variant] ?? c.pBase;
}

/** Runs one simulated suite end to end (first pass, confirmation, comparison, gate). */
export async function simulateRun(cases: readonly SimCase[], opts: SimOptions): Promise<SimOutcome> {
  const rand = seededRandom(opts.seed);
  const gate: GateConfig = { ...DEFAULT_GATE, ...opts.gate, confirm: { ...DEFAULT_GATE.confirm, ...opts.gate?.confirm } };
  const names = opts.variants ?? ['candidate'];
  const metricCount = opts.metrics ?? 1;
  const repeat = opts.repeat ?? 1;
  const byId = new Map(cases.map((c) => [c.id, c]));
  const stub = { kind: 'replay' as const, run: () => Promise.reject(new Error('simulated')) };
  const variant = (name: string, role?: 'baseline'): RunVariant => ({ name, pipeline: stub, evaluators: [], overrides: {}, options: {}, provider: 'sim', ...(role ? { role } : {}) });
  const variants = [...names.map((n) => variant(n)), ...(opts.baseline === 'recorded' ? [] : [variant('production', 'baseline')])];
  const items = cases.map((c) => ({ dataset: 'sim', case: { id: c.id, labels: c.incident ? { incident: c.incident } : {} } as unknown as Case }));
  const results: CaseResult[] = [];
  const draw = (p: number): { pass: boolean; scores: CaseResult['scores'] } => {
    const scores = Array.from({ length: metricCount }, (_, m) => {
      const pass = rand() < p;
      return { name: `m${m}`, score: pass ? 1 : 0, pass, reason: '' };
    });
    return { pass: scores.every((s) => s.pass), scores };
  };
  const runUnit = (u: WorkUnit): CaseResult => {
    const c = byId.get(u.case.id)!;
    const p = probability(c, u.role === 'baseline' ? undefined : u.variant.name);
    const own = draw(p);
    const recorded = u.repeat === 0 && u.phase === undefined ? { recorded: { ...draw(c.pBase), output: 'recorded' } } : {};
    return {
      caseId: c.id, variant: u.variant.name, repeat: u.repeat, dataset: 'sim', output: 'x', latencyMs: 0, startedAt: '',
      ...own, ...recorded, ...(u.role ? { role: u.role } : {}), ...(u.phase ? { phase: u.phase } : {}),
    };
  };
  // The first pass runs the candidates only, as `runSuite` does; confirmFlips samples the baseline where needed.
  for (const item of items) {
    for (const v of variants.filter((x) => x.role !== 'baseline')) for (let r = 0; r < repeat; r++) results.push(runUnit({ dataset: 'sim', case: item.case, variant: v, repeat: r }));
  }
  const firstPassRuns = results.length;
  const incidents = new Map(cases.filter((c) => c.incident).map((c) => [c.id, c.incident!]));
  const plan: Pick<RunPlan, 'items' | 'variants' | 'repeat'> = { items, variants, repeat };
  const counts: RunCounts = { total: 0, done: 0, errored: 0, passed: 0, cached: 0, skippedByBudget: 0, alreadyDone: 0, notStarted: 0 };
  {
    await confirmFlips(plan, { gate, incidents }, {
      read: () => Promise.resolve(results),
      runUnits: async (units) => {
        for await (const u of units) results.push(runUnit(u));
      },
      flush: () => Promise.resolve(),
      stop: () => false,
      counts,
    });
  }
  const comparison = compareResults(results, { gate, incidents });
  return {
    comparison,
    exitCode: exitCodeFor(comparison.gate, gate),
    regressed: comparison.cases.filter((c) => c.verdict === 'regressed' || c.incidentHolds === false).map((c) => `${c.caseId}|${c.variant}`),
    confirmationRuns: results.length - firstPassRuns,
    firstPassRuns,
  };
}

/** The "realistic" suite of the issue: 70% always pass, 20% always fail, 10% flaky at p = 0.5. */
export function realisticSuite(n = 200): SimCase[] {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, pBase: i < n * 0.7 ? 1 : i < n * 0.9 ? 0 : 0.5 }));
}

/** Cases whose pass probabilities are drawn from Beta(a, b) (same on both sides unless changed). */
export function betaSuite(n: number, a: number, b: number, seed: number): SimCase[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, pBase: betaDraw(a, b, rand) }));
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Marsaglia–Tsang, with the a < 1 boost). */
function betaDraw(a: number, b: number, rand: () => number): number {
  const x = gammaDraw(a, rand);
  const y = gammaDraw(b, rand);
  return x / (x + y);
}

function gammaDraw(shape: number, rand: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, rand) * Math.pow(rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller normal.
      x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
