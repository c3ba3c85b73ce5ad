/**
 * `evals run` and `evals merge`: build a run plan from the config, run it, compare with the
 * baseline, write the reports, and turn the gate into an exit code.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { ExitCode, ExitError, UsageError } from '../errors.js';
import { mergeRuns } from '../runner/merge.js';
import { createProgress } from '../runner/progress.js';
import { readRunRecord } from '../runner/run-file.js';
import { itemKey, readAheadOf } from '../runner/plan-items.js';
import type { RunPlan } from '../runner/run-plan.js';
import type { RunRecord } from '../runner/run-record.js';
import type { BaselineRun } from './run-report.js';
import { runSuite } from '../runner/run.js';
import { assertRunDirIdle, lockRunDir, validateRunId } from '../runner/run-dir.js';
import { parseShard } from '../runner/shard.js';
import { BATCH_STATE_FILE } from '../runner/batch-state.js';
import { readFailingCases, type CaseFilter } from './run-filter.js';
import { resolveOtlpTarget } from '../otlp/endpoint.js';
import { buildRunPlan, datasetsRootOf, mayHoldCases, planCaseLookup } from './run-plan.js';
import { finishRun, readBaselineRun } from './run-report.js';
import { CaseReadThread, THREAD_MIN_CASES } from './case-read-thread.js';
import { CaseSpool } from './case-spool.js';
import { collectBetweenPhases } from './collect-garbage.js';
import { phaseDone, printPhases } from './phase-times.js';
import { loadOptionalConfig, parseAmount, parseCount } from './shared.js';

export interface RunOptions {
  config?: string;
  dataset?: string[];
  variant?: string[];
  baseline?: string;
  baselineVariant?: string;
  concurrency?: string;
  repeat?: string;
  maxCost?: string;
  /** commander's `--no-cache` sets this false. */
  cache?: boolean;
  /** `--batch`: provider batch APIs for the replay calls; `--batch-poll <seconds>`. */
  batch?: boolean;
  batchPoll?: string;
  /** commander's `--no-judge-cache` sets this false. */
  judgeCache?: boolean;
  resume?: string;
  shard?: string;
  out?: string;
  runId?: string;
  reporter: string;
  quiet?: boolean;
  /** Subset filters (repeatable `--case`, `--tag`; `--incident [id]`, `--failing <run-dir>`, `--limit <n>`). */
  case?: string[];
  tag?: string[];
  incident?: true | string;
  failing?: string;
  limit?: string;
  /** `--otlp [endpoint]`: export every evaluation as OTel `gen_ai.evaluation.result` events (true: endpoint from OTEL_EXPORTER_OTLP_* or the default). */
  otlp?: true | string;
}

export interface MergeOptions {
  out: string;
  config?: string;
  reporter: string;
  /** As for `evals run --otlp`. */
  otlp?: true | string;
}

export async function runCommand(opts: RunOptions, cwd = process.cwd()): Promise<void> {
  const loaded = await loadConfig(cwd, opts.config);
  // Every flag is checked before the run directory is created or locked.
  parseFormats(opts.reporter);
  if (opts.concurrency) parseCount(opts.concurrency, '--concurrency', MAX_CONCURRENCY);
  if (opts.repeat) parseCount(opts.repeat, '--repeat', MAX_REPEAT);
  if (opts.maxCost) parseBudget(opts.maxCost);
  if (opts.runId !== undefined) validateRunId(opts.runId);
  if (opts.limit) parseCount(opts.limit, '--limit', Number.MAX_SAFE_INTEGER);
  if (opts.otlp !== undefined) resolveOtlpTarget(opts.otlp);
  if (opts.batchPoll !== undefined) parseBatchPoll(opts.batchPoll);
  if (opts.resume && (opts.case || opts.tag || opts.incident !== undefined || opts.failing || opts.limit)) {
    throw new UsageError('--resume runs the cases the run started with; it takes no subset filter', { expected: 'evals run --resume <run-dir> alone', found: '--case, --tag, --incident, --failing or --limit' });
  }
  const runDir = opts.resume ? path.resolve(cwd, opts.resume) : path.resolve(loaded.dir, opts.out ?? loaded.config.run.outDir, opts.runId ?? newRunId());
  if (opts.resume && !existsSync(path.join(runDir, 'run.json'))) throw new UsageError('not a run directory to resume (no run.json)', { file: opts.resume, hint: 'pass the directory a previous `evals run` printed' });
  await prepareDir(runDir, opts.out !== undefined ? '--out' : `${path.relative(cwd, loaded.file) || loaded.file}: run.outDir`);
  // One process per run directory, from before the first provider call to the last report.
  const release = await lockRunDir(runDir);
  try {
    await runLocked(opts, loaded, runDir, cwd);
  } finally {
    await release();
  }
}

async function runLocked(opts: RunOptions, loaded: LoadedConfig, runDir: string, cwd: string): Promise<void> {
  const formats = parseFormats(opts.reporter);
  if (!opts.resume && existsSync(path.join(runDir, 'results.jsonl'))) {
    throw new UsageError('run directory already holds results', { file: path.relative(cwd, runDir), hint: 'choose another --run-id, or continue it with --resume' });
  }
  // A resumed run finishes on the exact dataset versions it started with, even if the config
  // follows name@latest and a snapshot has landed since.
  const previous = opts.resume ? await readRunRecord(runDir) : undefined;
  const filter = previous ? resumedFilter(previous) : await filterOf(opts, cwd);
  const pinned = previous?.datasets.map((d) => `${d.name}@${d.version}`);
  // What the reports need of each case the run reads, kept so they do not read it again.
  const spool = new CaseSpool(runDir);
  phaseDone('start-up');
  // Started before the plan when the datasets may hold enough cases for it (its start then
  // overlaps the plan and it is ready for the first case), kept once the plan says how many
  // there are; stopped when the run phase ends.
  const refs = pinned ?? opts.dataset ?? loaded.config.datasets;
  let caseThread = mayHoldCases(datasetsRootOf(loaded), refs, THREAD_MIN_CASES) ? CaseReadThread.launch() : undefined;
  try {
    const plan = await buildRunPlan(loaded, {
      runDir,
      runId: path.basename(runDir),
      ...(pinned ? { datasets: pinned } : opts.dataset ? { datasets: opts.dataset } : {}),
      ...(opts.variant ? { variants: opts.variant } : {}),
      ...(opts.concurrency ? { concurrency: parseCount(opts.concurrency, '--concurrency', MAX_CONCURRENCY) } : {}),
      ...(opts.repeat ? { repeat: parseCount(opts.repeat, '--repeat', MAX_REPEAT) } : {}),
      ...(opts.maxCost ? { maxCostUsd: parseBudget(opts.maxCost) } : {}),
      ...(opts.cache === false ? { cache: false } : {}),
      ...(opts.judgeCache === false ? { judgeCache: false } : {}),
      ...(opts.shard ? { shard: parseShard(opts.shard) } : {}),
      resume: Boolean(opts.resume),
      configHash: hashText(loaded.text),
      configFile: path.relative(cwd, loaded.file) || loaded.file,
      // Compared with another run: no production replay is needed.
      ...(opts.baseline ? { sampledBaseline: false } : {}),
      ...(filter ? { filter } : {}),
      onCaseRead: (dataset, c) => spool.add(dataset, c),
      caseThread: () => caseThread,
      onCaseTexts: (dataset, id, brief, line) => spool.addTexts(dataset, id, brief, line),
    });
    caseThread = caseThread ? caseThread.use(plan.items.length, readAheadOf(plan.concurrency ?? 8)) : CaseReadThread.start(plan.items.length, readAheadOf(plan.concurrency ?? 8));
    phaseDone('plan');
    // A resumed batch run re-attaches to its recorded batches whatever the flags say.
    if (opts.batch || loaded.config.run.batch || (opts.resume && existsSync(path.join(runDir, BATCH_STATE_FILE)))) {
      plan.batch = { pollMs: Math.round(1000 * (opts.batchPoll !== undefined ? parseBatchPoll(opts.batchPoll) : (loaded.config.run.batchPollSeconds ?? 30))) };
    }
    if (opts.baselineVariant && !opts.baseline) throw new UsageError('--baseline-variant needs --baseline <run>', { found: opts.baselineVariant });
    const candidates = plan.variants.filter((v) => v.role !== 'baseline').map((v) => v.name);
    const baselineRun = opts.baseline ? restrictBaseline(await readBaselineRun(path.resolve(cwd, opts.baseline), cwd, candidates, opts.baselineVariant), plan, filter) : undefined;
    if (plan.confirm && baselineRun) plan.confirm = { ...plan.confirm, baselineRun };
    const log = (line: string): void => {
      if (!opts.quiet) process.stderr.write(`${line}\n`);
    };
    const base = plan.variants.find((v) => v.role === 'baseline');
    if (plan.record?.selection) log(`evals run: ${plan.items.length} case(s) selected by ${plan.record.selection.filters}`);
    log(
      `evals run ${plan.runId}: ${plan.items.length} case(s) × ${candidates.length} variant(s) × ${plan.repeat ?? 1} repeat(s), concurrency ${plan.concurrency}${opts.resume ? ' (resuming)' : ''}; ` +
        `baseline: ${baselineRun ? `run ${baselineRun.label}` : base ? `${base.name} (${base.name === 'production' ? "production's prompt and model, replayed" : 'variant'}) + the recorded output` : 'the recorded output'}`,
    );
    const progress = createProgress(opts.quiet ? { stream: { write: () => true }, live: false } : {});
    const outcome = await runSuite(plan, { handleSigint: true, lockHeld: true, progress, log });
    caseThread?.stop();
    phaseDone('run');
    if (caseThread && process.env.EVALS_DEBUG) process.stderr.write(`evals: case read thread: ${caseThread.answered} case(s) read on the thread\n`);
    if (outcome.status === 'interrupted') {
      process.stderr.write(`evals: run ${outcome.reason ?? 'interrupted'} after ${outcome.counts.done} result(s); finish it with: evals run --resume ${path.relative(cwd, runDir) || runDir}\n`);
      throw new ExitError(ExitCode.runError);
    }
    // No cases handed over: the run never held them all; the reports read them from the pinned
    // versions, found by what the plan knows of each (no version file is read again).
    const lookup = planCaseLookup(plan, spool);
    // The run phase's data (cache, plan items) is unreachable now: collect it before comparing.
    plan.items = [];
    collectBetweenPhases(outcome.counts.done);
    const code = await finishRun(runDir, loaded, {
      formats,
      known: spool,
      ...(lookup ? { lookup } : {}),
      ...(outcome.scan ? { scan: outcome.scan } : {}),
      // A resumed run's earlier lines may come from another version.
      ...(opts.resume ? {} : { incidentsInResults: true }),
      ...(baselineRun ? { baselineRun } : {}),
      cwd,
      extra: [
        ...(outcome.budgetReached ? [`budget of $${plan.maxCostUsd} reached: remaining cases were not run`] : []),
        ...(outcome.batch ? [batchLine(outcome.batch)] : []),
      ],
      ...(opts.otlp !== undefined ? { otlp: resolveOtlpTarget(opts.otlp) } : {}),
      ...(opts.quiet ? { quiet: true } : {}),
    });
    process.exitCode = code;
    printPhases();
  } finally {
    caseThread?.stop();
    spool.close();
  }
}

export async function mergeCommand(dirs: string[], opts: MergeOptions, cwd = process.cwd()): Promise<void> {
  const loaded: Pick<LoadedConfig, 'config' | 'dir'> = await loadOptionalConfig(opts.config, cwd);
  const outDir = path.resolve(cwd, opts.out);
  const formats = parseFormats(opts.reporter);
  const otlp = opts.otlp !== undefined ? resolveOtlpTarget(opts.otlp) : undefined;
  await prepareDir(outDir, '--out');
  const release = await lockRunDir(outDir);
  try {
    for (const d of dirs) await assertRunDirIdle(path.resolve(cwd, d));
    const merged = await mergeRuns(dirs.map((d) => path.resolve(cwd, d)), outDir);
    process.stderr.write(`merged ${dirs.length} run(s) into ${path.relative(cwd, outDir) || outDir}: ${merged.results} result(s)\n`);
    process.exitCode = await finishRun(outDir, loaded, { formats, cwd, extra: [], ...(otlp ? { otlp } : {}) });
  } finally {
    await release();
  }
}

/** The caps of `run.concurrency` and `run.repeat` in the config, applied to the flags too. */
const MAX_CONCURRENCY = 1000;
const MAX_REPEAT = 100;

/** `--batch-poll`: seconds, fractions allowed (tests poll every 50 ms). */
function parseBatchPoll(text: string): number {
  const s = parseAmount(text, '--batch-poll');
  if (s < 0.01) throw new UsageError('--batch-poll must be at least 0.01 seconds', { expected: 'seconds between polls, e.g. 30', found: JSON.stringify(text) });
  return s;
}

/** The terminal's batch line: what the batches answered and saved. */
function batchLine(b: NonNullable<RunRecord['batch']>): string {
  if (b.batches.length === 0) return `batch: nothing submitted (every request was cached or runs live); saved $${b.savedUsd.toFixed(4)} by batch`;
  return `batch: ${b.answered} request(s) answered by ${b.batches.length} provider batch(es)${b.errored ? ` (${b.errored} errored)` : ''}, ${b.unfinished} sent live after the batch did not run them; saved $${b.savedUsd.toFixed(4)} by batch`;
}

/** `--max-cost`: a budget of 0 would run nothing and report nothing evaluated. */
function parseBudget(text: string): number {
  const usd = parseAmount(text, '--max-cost');
  if (usd === 0) throw new UsageError('--max-cost must be more than 0', { expected: 'a budget in dollars > 0 (leave the flag out for no limit)', found: JSON.stringify(text) });
  return usd;
}

const FORMATS = ['html', 'md', 'junit', 'json'] as const;

export function parseFormats(text: string): Array<(typeof FORMATS)[number]> {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError('unknown --reporter format', { expected: FORMATS.join(', '), found: f });
  }
  return list as Array<(typeof FORMATS)[number]>;
}

/** Sortable, filesystem-safe, unique enough: `2026-11-27T10-00-00-123Z`. */
function newRunId(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Creates `dir` or throws a UsageError naming where the path came from (a file in the way…). */
async function prepareDir(dir: string, from: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new UsageError('cannot create the run directory', { file: dir, field: from, expected: 'a directory path (or one that can be created)', found: (err as NodeJS.ErrnoException).code === 'EEXIST' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a file in the way' : (err as Error).message });
  }
}

function hashText(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The subset filter the flags ask for, or undefined when none is given. */
async function filterOf(opts: RunOptions, cwd: string): Promise<CaseFilter | undefined> {
  const f: CaseFilter = {
    ...(opts.case ? { casePrefixes: opts.case } : {}),
    ...(opts.tag ? { tags: opts.tag } : {}),
    ...(opts.incident !== undefined ? { incident: opts.incident } : {}),
    ...(opts.failing ? { only: await readFailingCases(opts.failing, cwd) } : {}),
    ...(opts.limit ? { limit: parseCount(opts.limit, '--limit', Number.MAX_SAFE_INTEGER) } : {}),
  };
  return Object.keys(f).length > 0 ? f : undefined;
}

/** A resumed run keeps the subset it started with (recorded in run.json). */
function resumedFilter(record: RunRecord): CaseFilter | undefined {
  const s = record.selection;
  return s ? { only: { label: s.filters, keys: new Set(s.cases.map((c) => `${c.dataset}\u0000${c.caseId}`)) } } : undefined;
}

/** With a subset, the baseline run's other cases are not "missing": they were left out on purpose. */
function restrictBaseline(run: BaselineRun, plan: RunPlan, filter: CaseFilter | undefined): BaselineRun {
  if (!filter) return run;
  const keep = new Set(plan.items.map((i) => `${itemKey(i)}\u0000`));
  return { ...run, entries: new Map([...run.entries].filter(([k]) => keep.has(k.slice(0, k.lastIndexOf('\u0000') + 1)))) };
}
