/**
 * Runs one case × variant × repeat: pipeline through wrapped providers, then the evaluators on
 * the candidate and on the recorded baseline. Every failure becomes data in the CaseResult;
 * only an abort (SIGINT) escapes, so the case is left for resume instead of recorded as failed.
 */
import type { Case, CaseStep } from '../datasets/case.js';
import type { EvaluatedOutput, Evaluator } from '../evaluators/evaluator.js';
import { evaluateAll, runPasses } from './evaluate.js';
import type { PipelineContext, PipelineOutput } from '../pipelines/pipeline.js';
import type { ResponseCache } from '../providers/cache.js';
import type { CostTracker } from '../providers/pricing.js';
import type { Provider } from '../providers/provider.js';
import { ProviderError } from '../providers/provider.js';
import { NoMatchingProviderError } from '../pipelines/route-provider.js';
import type { CaseResult } from './result.js';
import type { RunPlan, RunVariant } from './run-plan.js';
import type { Scheduler } from './schedule.js';
import { newAccount, wrapProvider } from './wrap-provider.js';
import type { BatchBook } from './batch-book.js';

/** One unit of work. */
export interface WorkUnit {
  dataset: string;
  case: Case;
  variant: RunVariant;
  repeat: number;
  /** The sampled baseline's run (production replayed). */
  role?: 'baseline';
  /** A confirmation re-run. */
  phase?: 'confirm';
}

/** Shared, run-wide services a unit uses. */
export interface UnitDeps {
  plan: RunPlan;
  scheduler: Scheduler;
  cache: ResponseCache | undefined;
  costs: CostTracker;
  signal: AbortSignal;
  /** Answers of the run's provider batches (`--batch`). */
  book?: BatchBook;
}

/** Thrown when the run was aborted while this unit ran. */
export class UnitAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'UnitAborted';
  }
}

function errorData(err: unknown): NonNullable<CaseResult['error']> {
  if (err instanceof ProviderError) return { ...err.toStepError(), source: 'provider' };
  // No configured provider speaks the case's recorded API: the suite's setup, not the candidate, failed.
  if (err instanceof NoMatchingProviderError) return { type: err.name, message: err.message, source: 'config' };
  if (err instanceof Error) return { type: err.name === 'Error' ? 'pipeline' : err.name, message: err.message, source: 'pipeline' };
  return { type: 'pipeline', message: String(err), source: 'pipeline' };
}

/** Executes one unit and returns its result (never throws except UnitAborted). */
export async function runUnit(unit: WorkUnit, deps: UnitDeps): Promise<CaseResult> {
  const { plan } = deps;
  const c = unit.case;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const account = newAccount();
  const steps: CaseStep[] = [];
  const wrapped = new Map<string, Provider>();
  const ctx: PipelineContext = {
    provider(name?: string): Provider {
      const key = name ?? unit.variant.overrides.provider ?? unit.variant.provider;
      let p = wrapped.get(key);
      if (!p) {
        const inner = plan.providers[key];
        if (!inner) throw new ProviderError(`no provider named "${key}" (configured: ${Object.keys(plan.providers).join(', ')})`, { type: 'bad_request', retryable: false });
        p = wrapProvider(inner, { scheduler: deps.scheduler, cache: deps.cache, costs: deps.costs, repeat: unit.repeat, timeoutMs: plan.timeoutMs, signal: deps.signal, account, ...(deps.book ? { book: deps.book } : {}) });
        wrapped.set(key, p);
      }
      return p;
    },
    providers: {
      configured: Object.entries(plan.providers).map(([name, p]) => ({ name, api: p.api })),
      variantDefault: unit.variant.provider,
    },
    variant: { name: unit.variant.name, overrides: unit.variant.overrides, options: unit.variant.options },
    repeat: unit.repeat,
    signal: deps.signal,
    recordStep(step) {
      steps.push({ ...step, offsetMs: step.offsetMs ?? Math.round(performance.now() - t0) });
    },
  };

  // Model-graded evaluators get the same providers on their own account, so a judge's tokens
  // count towards the run's spend and budget but not towards the candidate's usage.
  const judgeAccount = newAccount();
  const judges = new Map<string, Provider>();
  // The judge is the suite's, the same for every variant (and the baseline): never the variant's.
  const judgeProvider = (name?: string): Provider => {
    const key = name ?? plan.judgeProvider ?? Object.keys(plan.providers)[0] ?? '';
    let p = judges.get(key);
    if (!p) {
      const inner = plan.providers[key];
      if (!inner) throw new Error(`no provider named "${key}" for the evaluator (configured: ${Object.keys(plan.providers).join(', ')})`);
      // Keyed by the repeat like the candidate's calls: `run.repeat: N` asks the judge N times.
      const cache = plan.judgeCache === false ? undefined : deps.cache;
      p = wrapProvider(inner, { scheduler: deps.scheduler, cache, costs: deps.costs, repeat: unit.repeat, timeoutMs: plan.timeoutMs, signal: deps.signal, account: judgeAccount });
      judges.set(key, p);
    }
    return p;
  };

  let out: PipelineOutput | undefined;
  let error: CaseResult['error'];
  try {
    out = await unit.variant.pipeline.run(c, ctx);
  } catch (err) {
    if (deps.signal.aborted) throw new UnitAborted();
    error = errorData(err);
  }
  const allCached = account.calls > 0 && account.cacheHits === account.calls;
  const latencyMs = allCached ? 0 : Math.round(performance.now() - t0);
  const costUsd = account.costUnknown ? undefined : account.costUsd;

  let evaluators: Evaluator[] = unit.variant.evaluators;
  const assertions = c.expected?.assertions ?? [];
  if (assertions.length > 0) {
    try {
      evaluators = [...evaluators, ...plan.buildEvaluators(assertions)];
    } catch (err) {
      error ??= { type: 'case_assertions', message: err instanceof Error ? err.message : String(err), source: 'config' };
    }
  }
  const actual: EvaluatedOutput = {
    output: out?.output ?? null,
    ...(out?.toolCalls ? { toolCalls: out.toolCalls } : {}),
    ...(out?.finishReason ? { finishReason: out.finishReason } : {}),
    ...(account.usage ? { usage: account.usage } : {}),
    latencyMs,
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(error ? { error } : {}),
    ...(steps.length > 0 ? { steps } : {}),
  };
  const reference = c.expected?.output ?? c.recorded.output;
  const evalOpts = { timeoutMs: plan.evaluatorTimeoutMs ?? 60_000, providerBudgetMs: (plan.timeoutMs ?? 60_000) * (plan.retry?.maxAttempts ?? 1) };
  const suiteJudge = plan.record?.judge ? { judge: { provider: plan.record.judge.provider, model: plan.record.judge.model } } : {};
  const scores = await evaluateAll(evaluators, { case: c, actual, reference, provider: judgeProvider, ...suiteJudge }, evalOpts);
  const rec = c.recorded;
  const recordedActual: EvaluatedOutput = {
    output: rec.output,
    ...(rec.toolCalls ? { toolCalls: rec.toolCalls } : {}),
    ...(rec.finishReason ? { finishReason: rec.finishReason } : {}),
    ...(rec.usage ? { usage: rec.usage } : {}),
    latencyMs: rec.latencyMs,
    ...(rec.error ? { error: rec.error } : {}),
    steps: c.context.steps,
  };
  // Production's answer is scored once per case (the first run of the first pass), not per repeat.
  const scoreRecorded = unit.repeat === 0 && unit.phase === undefined;
  const recordedScores = scoreRecorded
    ? await evaluateAll(evaluators, { case: c, actual: recordedActual, reference, provider: judgeProvider, ...suiteJudge }, { ...evalOpts, referenceIsOutput: c.expected?.output === undefined })
    : undefined;
  // The trace's answer could not be recovered (the importer says so, or nothing at all was kept).
  const answerMissing = rec.outputMissing !== undefined || (rec.status === 'ok' && rec.output === null && !rec.toolCalls?.length);

  return {
    caseId: c.id,
    variant: unit.variant.name,
    repeat: unit.repeat,
    ...(unit.role ? { role: unit.role } : {}),
    ...(unit.phase ? { phase: unit.phase } : {}),
    dataset: unit.dataset,
    ...(c.labels.incident ? { incident: c.labels.incident } : {}),
    output: actual.output,
    ...(out?.toolCalls ? { toolCalls: out.toolCalls } : {}),
    ...(out?.finishReason ? { finishReason: out.finishReason } : {}),
    ...((out?.model ?? account.model) !== undefined ? { model: out?.model ?? account.model } : {}),
    ...providerUsed(wrapped),
    ...(account.usage ? { usage: account.usage } : {}),
    latencyMs,
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(allCached ? { cached: true } : {}),
    ...(account.batchCalls ? { batch: true as const, ...(account.batchSavedUsd !== undefined ? { batchSavedUsd: account.batchSavedUsd } : {}) } : {}),
    ...(account.retries > 0 ? { retries: account.retries } : {}),
    ...(error ? { error } : {}),
    scores,
    pass: runPasses(scores, error !== undefined),
    ...(recordedScores
      ? { recorded: { scores: recordedScores, pass: rec.status === 'ok' && !answerMissing && runPasses(recordedScores, false), output: rec.output, ...(answerMissing ? { answerMissing: true } : {}) } }
      : {}),
    ...(steps.length > 0 ? { steps } : {}),
    startedAt,
  };
}

/** The provider the candidate's model calls went to (the first one, when a pipeline used several). */
function providerUsed(wrapped: Map<string, Provider>): { provider?: string; api?: string } {
  const [name, p] = [...wrapped.entries()][0] ?? [];
  return name === undefined || p === undefined ? {} : { provider: name, api: p.api };
}
