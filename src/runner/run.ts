/**
 * `runSuite`: every case × variant × repeat of a plan, streamed to `results.jsonl` in
 * completion order. Memory stays flat in the number of cases: cases are read from disk only as
 * their units come up (a bounded number ahead, plan-items.ts), at most 2× concurrency units are
 * queued, and only counts are kept. A case file that cannot be read stops the run (left
 * interrupted and resumable) with that file's error. run.json says `running` from the
 * start and `completed` or `interrupted` at the end; an interrupted or killed run resumes from
 * its results file.
 */
import { setMaxListeners } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EvalsError, RunError, UsageError } from '../errors.js';
import { openResponseCache, type ResponseCache } from '../providers/cache.js';
import { CostTracker } from '../providers/pricing.js';
import { RUN_SCHEMA, type RunRecord } from './run-record.js';
import type { CaseResult } from './result.js';
import { completedKeys, iterateResults, openResultsWriter, RESULTS_FILE, resultKey, scanSlimResults, SKIPPED_BY_BUDGET, type SlimScan } from './results.js';
import { readRunRecord, writeRunRecord } from './run-file.js';
import type { RunCounts, RunHooks, RunOutcome, RunPlan, RunVariant } from './run-plan.js';
import { itemId, loadItem, readAhead, readAheadOf, type PlanItem } from './plan-items.js';
import { runUnit, UnitAborted, type UnitDeps, type WorkUnit } from './run-case.js';
import { Scheduler } from './schedule.js';
import { confirmFlips } from './confirm-flips.js';
import { inShard } from './shard.js';
import { lockRunDir } from './run-dir.js';
import type { BatchBook } from './batch-book.js';
import { runBatchPhase, type BatchSummary } from './batch-run.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The variants of the first pass. With a confirmation stage (the CLI's default) the sampled
 * baseline is not run here: confirm-flips.ts runs it only for the cases whose candidate did not
 * pass every run or whose recorded answer cannot be compared, so a stable suite costs one pass.
 */
function firstPassVariants(plan: RunPlan): RunVariant[] {
  return plan.confirm ? plan.variants.filter((v) => v.role !== 'baseline') : plan.variants;
}

/**
 * Above this many results a run does not keep the slim table of results.jsonl while it writes
 * it: the table (≈100 bytes a result with its key maps) would add to the run phase's own data,
 * which sets the peak of a large run (100,000 cases: 244 MB with it, 234 MB without, of a 250 MB
 * budget). Reading the file back after the run phase costs ≈1 s there, under 1% of such a run;
 * at 10,000 cases that read was ≈0.1 s of a fully cached re-run's main thread.
 */
export const TRACK_MAX_RESULTS = 50_000;

/** Units (case × variant × repeat) of the first pass in this shard, counted from the case ids alone. */
function countUnits(plan: RunPlan): number {
  const perCase = firstPassVariants(plan).length * Math.max(1, plan.repeat ?? 1);
  let cases = 0;
  for (const item of plan.items) if (inShard(itemId(item), plan.shard)) cases++;
  return cases * perCase;
}

/**
 * The first pass's units, read lazily: a case is read (a bounded number ahead, see plan-items.ts)
 * only when its units come up, and a case whose every unit `done` already holds is never read
 * (`skipped` is told how many units that saved).
 */
async function* unitsOf(plan: RunPlan, done: ReadonlySet<string>, skipped: (units: number) => void = () => {}): AsyncGenerator<WorkUnit> {
  const repeat = Math.max(1, plan.repeat ?? 1);
  const variants = firstPassVariants(plan);
  const keysOf = (dataset: string, caseId: string): string[] => variants.flatMap((v) => Array.from({ length: repeat }, (_, r) => resultKey({ dataset, caseId, variant: v.name, repeat: r })));
  const wanted = function* (): Generator<PlanItem> {
    for (const item of plan.items) {
      const id = itemId(item);
      if (!inShard(id, plan.shard)) continue;
      if (done.size > 0 && keysOf(item.dataset, id).every((k) => done.has(k))) {
        skipped(variants.length * repeat);
        continue;
      }
      yield item;
    }
  };
  for await (const [item, c] of readAhead(wanted(), loadItem, readAheadOf(plan.concurrency ?? 8))) {
    for (const variant of variants) {
      for (let r = 0; r < repeat; r++) yield { dataset: item.dataset, case: c, variant, repeat: r, ...(variant.role ? { role: variant.role } : {}) };
    }
  }
}

function skippedResult(u: WorkUnit): CaseResult {
  return {
    caseId: u.case.id, variant: u.variant.name, repeat: u.repeat, dataset: u.dataset, output: null, latencyMs: 0, scores: [], pass: false,
    ...(u.case.labels.incident ? { incident: u.case.labels.incident } : {}),
    ...(u.role ? { role: u.role } : {}),
    ...(u.phase ? { phase: u.phase } : {}),
    error: { type: SKIPPED_BY_BUDGET, message: 'not run: the cost budget (--max-cost) was reached' },
    startedAt: new Date().toISOString(),
  };
}

/** run.json as it stands before any result (the Vitest integration writes it too). */
export function baseRecord(plan: RunPlan, status: RunRecord['status'], startedAt: string): RunRecord {
  return {
    schema: RUN_SCHEMA, id: plan.runId, startedAt, status,
    toolVersion: plan.record?.toolVersion ?? '0.0.0',
    config: plan.record?.config ?? { file: '', hash: '' },
    datasets: plan.record?.datasets ?? [],
    ...(plan.record?.selection ? { selection: plan.record.selection } : {}),
    ...(plan.record?.judge ? { judge: plan.record.judge } : {}),
    variants: plan.variants.map((v) => ({
      name: v.name, pipeline: v.pipeline.kind, provider: v.overrides.provider ?? v.provider, ...(v.role ? { role: v.role } : {}),
      ...(v.overrides.model !== undefined ? { model: v.overrides.model } : {}),
    })),
    repeat: Math.max(1, plan.repeat ?? 1),
    ...(plan.shard ? { shard: plan.shard } : {}),
    counts: { total: 0, completed: 0, errored: 0, cached: 0 },
    costUsd: 0,
  };
}

async function openCache(dir: string): Promise<ResponseCache> {
  try {
    return await openResponseCache(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'EISDIR') throw err;
    throw new UsageError('cannot open the response cache directory', {
      file: dir, field: 'run.cacheDir', expected: 'a writable directory (or a path where one can be created)', found: code === 'EACCES' ? 'permission denied' : 'a file in the way', hint: 'fix run.cacheDir, or run with --no-cache',
    });
  }
}

/** Counts over the whole results file (earlier invocations included), one per key. */
async function tallyResults(dir: string): Promise<{ counts: RunRecord['counts']; costUsd: number; batchSavedUsd: number }> {
  const last = new Map<string, { err: string | undefined; cached: boolean; cost: number; saved: number }>();
  for await (const r of iterateResults(dir)) {
    last.set(resultKey(r), { err: r.error?.type ?? (r.error ? 'error' : undefined), cached: r.cached === true, cost: r.costUsd ?? 0, saved: r.batchSavedUsd ?? 0 });
  }
  const counts = { total: 0, completed: 0, errored: 0, cached: 0 };
  let costUsd = 0;
  let batchSavedUsd = 0;
  for (const v of last.values()) {
    if (v.err === SKIPPED_BY_BUDGET) continue;
    counts.completed++;
    if (v.err !== undefined) counts.errored++;
    if (v.cached) counts.cached++;
    costUsd += v.cost;
    batchSavedUsd += v.saved;
  }
  return { counts, costUsd, batchSavedUsd };
}

/** run.json's `batch` section. */
function batchRecord(s: BatchSummary, savedUsd: number): NonNullable<RunRecord['batch']> {
  return { savedUsd, answered: s.answered, errored: s.errored, unfinished: s.unfinished, live: s.live, batches: s.batches };
}

/**
 * Runs a plan. Never throws for a failed case; throws RunError for unusable run dirs and
 * LockHeldError when another live process is writing the run directory.
 */
export async function runSuite(plan: RunPlan, hooks: RunHooks = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  await mkdir(plan.runDir, { recursive: true });
  const release = hooks.lockHeld ? undefined : await lockRunDir(plan.runDir);
  try {
    return await runLocked(plan, hooks, t0);
  } finally {
    await release?.();
  }
}

async function runLocked(plan: RunPlan, hooks: RunHooks, t0: number): Promise<RunOutcome> {
  const done = await completedKeys(plan.runDir);
  if (!plan.resume && done.size > 0) {
    throw new RunError('run directory already has results', { file: plan.runDir, expected: 'an empty run directory, or --resume', found: `${done.size} results`, hint: 'pass --resume to continue it' });
  }
  const previous = plan.resume ? await readRunRecord(plan.runDir) : undefined;
  const startedAt = previous?.startedAt ?? new Date().toISOString();
  // Open what can fail on bad paths (a file where the cache directory should be) before run.json
  // says `running`, so a refused run leaves no stale record behind.
  const cache: ResponseCache | undefined = plan.cache?.enabled ? await openCache(plan.cache.dir) : undefined;
  // A fresh run keeps the slim table of its lines as it writes them (confirmation and the
  // reports read that instead of the file), up to TRACK_MAX_RESULTS.
  const total = countUnits(plan);
  const writer = await openResultsWriter(plan.runDir, total <= TRACK_MAX_RESULTS ? { track: total } : {});
  await writeRunRecord(plan.runDir, baseRecord(plan, 'running', startedAt));

  const controller = new AbortController();
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, controller.signal]) : controller.signal;
  // Every in-flight call listens to the run signal (and unlinks when done): not a leak.
  setMaxListeners(0, signal);
  // First Ctrl-C (or SIGTERM: CI cancel, docker stop, Kubernetes): stop scheduling, finish
  // writing, mark the run interrupted. Wrappers (npx, tsx) forward the signal the terminal
  // already sent to the whole group, so a second one within 1 s is that echo; a later one is
  // the user insisting, and exits at once (still resumable).
  let firstSignal = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    if (firstSignal === 0) {
      firstSignal = Date.now();
      controller.abort(new Error(`interrupted (${name})`));
    } else if (Date.now() - firstSignal > 1000) {
      process.exit(name === 'SIGTERM' ? 143 : 130);
    }
  };
  if (hooks.handleSigint) for (const sig of SIGNALS) process.on(sig, onSignal);

  const concurrency = Math.max(1, plan.concurrency ?? 8);
  const scheduler = new Scheduler({ concurrency, ...plan.retry });
  const costs = new CostTracker(plan.pricing);
  const counts: RunCounts = { total: 0, done: 0, errored: 0, passed: 0, cached: 0, skippedByBudget: 0, alreadyDone: 0, notStarted: 0 };
  counts.total = total;
  // Batch answers are paid before any case runs, so the budget bounds the live calls only.
  const budgetReached = (): boolean => plan.maxCostUsd !== undefined && costs.totalUsd - costs.batchUsd >= plan.maxCostUsd;
  const snapshot = () => ({ total: counts.total, done: counts.done + counts.skippedByBudget + counts.alreadyDone, errors: counts.errored, cached: counts.cached, costUsd: costs.totalUsd });

  const record = (r: CaseResult): void => {
    writer.write(r);
    if (r.error?.type === SKIPPED_BY_BUDGET) counts.skippedByBudget++;
    else {
      counts.done++;
      if (r.error) counts.errored++;
      if (r.pass) counts.passed++;
      if (r.cached) counts.cached++;
    }
    hooks.onResult?.(r);
    hooks.progress?.update(snapshot());
  };
  let book: BatchBook | undefined;
  let batchSummary: BatchSummary | undefined;
  let lastScan: SlimScan | undefined;
  const deps: UnitDeps = { plan, scheduler, cache, costs, signal };
  const execute = async (u: WorkUnit): Promise<void> => {
    if (signal.aborted) return void counts.notStarted++;
    if (budgetReached()) return record(skippedResult(u));
    try {
      record(await runUnit(u, deps));
    } catch (err) {
      if (err instanceof UnitAborted) return void counts.notStarted++;
      throw err;
    }
  };

  // Backpressure without Promise.race over every in-flight task (O(concurrency) per case):
  // a counter and one waiter woken when a task settles.
  let inflight = 0;
  let wake: (() => void) | undefined;
  const settled = (): void => {
    inflight--;
    wake?.();
    wake = undefined;
  };
  let failure: unknown;
  const runUnits = async (units: AsyncIterable<WorkUnit>): Promise<void> => {
    try {
      await scheduleAll(units);
    } catch (err) {
      // A case that cannot be read (a changed or invalid case file): stop like an interrupt,
      // let what is in flight settle, and report the error itself.
      failure ??= err;
      controller.abort(err);
    }
    while (inflight > 0) await new Promise<void>((r) => (wake = r));
  };
  const scheduleAll = async (units: AsyncIterable<WorkUnit>): Promise<void> => {
    for await (const u of units) {
      if (done.has(resultKey({ dataset: u.dataset, caseId: u.case.id, variant: u.variant.name, repeat: u.repeat }))) {
        counts.alreadyDone++;
        continue;
      }
      if (signal.aborted) {
        counts.notStarted++;
        continue;
      }
      if (budgetReached()) {
        record(skippedResult(u));
        continue;
      }
      // Never queue more than 2× concurrency, so 1M cases cost no more memory than 1k.
      while (inflight >= concurrency * 2) await new Promise<void>((r) => (wake = r));
      inflight++;
      void scheduler
        .schedule(() => execute(u))
        .catch((err: unknown) => {
          failure ??= err;
          controller.abort(err);
        })
        .finally(settled);
    }
  };
  const pending = async function* (): AsyncGenerator<WorkUnit> {
    for await (const u of unitsOf(plan, done)) if (!done.has(resultKey({ dataset: u.dataset, caseId: u.case.id, variant: u.variant.name, repeat: u.repeat }))) yield u;
  };
  try {
    if (plan.batch && !signal.aborted) {
      // Provider batches answer the first pass's replay calls; the pass below takes their answers.
      ({ book, summary: batchSummary } = await runBatchPhase(pending(), { plan, cache, signal, pollMs: plan.batch.pollMs, log: hooks.log ?? (() => {}) }));
      deps.book = book;
    }
    await runUnits(unitsOf(plan, done, (n) => (counts.alreadyDone += n)));
    if (plan.confirm && !signal.aborted) {
      await writer.flush();
      const read = async (): Promise<Iterable<CaseResult>> => (lastScan = writer.scan() ?? (await scanSlimResults(plan.runDir, counts.total))).results;
      await confirmFlips(plan, plan.confirm, { read, runUnits, flush: () => writer.flush(), stop: () => signal.aborted || budgetReached(), counts });
    }
  } finally {
    if (hooks.handleSigint) for (const sig of SIGNALS) process.removeListener(sig, onSignal);
    // Answers no case took (budget reached, interrupted) are paid for: keep them in the cache.
    if (book && cache) for (const [key, e] of book.drain()) if (e.kind === 'succeeded') cache.set(key, e.response);
    // Both files are synced at once (each close waits for its fsync).
    const closed = await Promise.allSettled([writer.close(), cache?.close()]);
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
  }
  const interrupted = signal.aborted;
  // results.jsonl as the writer kept it (a fresh run), else as confirmation last read it: the
  // reports use it if nothing was written after it.
  const resultsFile = join(plan.runDir, RESULTS_FILE);
  const last = writer.scan() ?? lastScan;
  const scan = last && !interrupted && existsSync(resultsFile) && statSync(resultsFile).size === last.bytes ? last : undefined;
  lastScan = undefined;
  // A fresh run's counts are already known; only a resumed run needs the earlier lines re-read.
  const tally = plan.resume
    ? await tallyResults(plan.runDir)
    : { counts: { total: counts.total, completed: counts.done, errored: counts.errored, cached: counts.cached }, costUsd: costs.totalUsd, batchSavedUsd: costs.batchSavedUsd };
  const durationMs = Math.round(performance.now() - t0);
  const reason = interrupted ? String((signal.reason as Error | undefined)?.message ?? signal.reason ?? 'aborted') : '';
  await writeRunRecord(plan.runDir, {
    ...baseRecord(plan, interrupted ? 'interrupted' : 'completed', startedAt),
    ...(interrupted ? { interruption: { reason, resumable: true as const, message: `${reason}; finish it with: evals run --resume ${plan.runDir}` } } : {}),
    finishedAt: new Date().toISOString(),
    counts: { ...tally.counts, total: counts.total },
    costUsd: tally.costUsd,
    ...(batchSummary ? { batch: batchRecord(batchSummary, tally.batchSavedUsd) } : {}),
    durationMs,
  });
  hooks.progress?.finish(snapshot());
  // A bad case file is the user's to fix: its own error (file, expected, found), not an internal one.
  if (failure instanceof EvalsError) throw failure;
  if (failure !== undefined) throw new RunError('the run stopped on an internal error', { cause: failure });
  return {
    runId: plan.runId, runDir: plan.runDir, status: interrupted ? 'interrupted' : 'completed', ...(interrupted ? { reason } : {}), counts,
    costUsd: costs.totalUsd, ...(batchSummary ? { batch: batchRecord(batchSummary, tally.batchSavedUsd) } : {}), unknownCostModels: Object.fromEntries(costs.unknownModels), retries: scheduler.totalRetries,
    durationMs, budgetReached: budgetReached(), ...(scan ? { scan } : {}),
  };
}
