/**
 * After a run (or a merge): read the results, compare with the baseline, write run.json with
 * the comparison and the reports, print the verdict, and return the exit code.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { exitCodeFor } from '../compare/gate.js';
import { groupKey, toObs, type Obs } from '../compare/observations.js';
import { Interner, slimResult } from '../compare/slim.js';
import type { LoadedConfig } from '../config/load.js';
import type { Case } from '../datasets/case.js';
import { NotFoundError, RunError, UsageError } from '../errors.js';
import type { ReportFormat } from '../reporters/write.js';
import { writeAtomic, writeReports } from '../reporters/write.js';
import { renderMarkdown } from '../reporters/markdown.js';
import type { VerdictCounts } from '../reporters/case-rows.js';
import { placeholderFor, stringifyStreamed } from '../reporters/json-stream.js';
import { countBriefs } from '../reporters/report-view.js';
import { iterateResults, resultKey, type SlimScan } from '../runner/results.js';
import { readRunRecord, RUN_FILE } from '../runner/run-file.js';
import type { CaseResult } from '../runner/result.js';
import type { Comparison } from '../compare/types.js';
import type { OtlpTarget } from '../otlp/endpoint.js';
import { judgeDifferences, type RunJudge } from '../evaluators/judge-settings.js';
import { lookupOfMap, openCaseLookup, type CaseLookup, type KnownCases } from './run-cases.js';
import { openRunView, type RunView } from './run-view.js';
import { phaseDone } from './phase-times.js';

/** Another run's results as the baseline, already matched to this run's variants. */
export interface BaselineRun {
  label: string;
  entries: Map<string, Obs[]>;
  /** The judge recorded in the baseline run's run.json, when it has one. */
  judge?: RunJudge;
}

export interface FinishOptions {
  formats: ReportFormat[];
  /** Another run as the baseline (see readBaselineRun). */
  baselineRun?: BaselineRun;
  cwd: string;
  /** Extra lines for the terminal summary. */
  extra: string[];
  /** The run's cases when the caller already holds them (saves reading every case file again). */
  cases?: ReadonlyMap<string, Case>;
  /** What the run kept of the cases it read (see `openCaseLookup`). */
  known?: KnownCases;
  /** The run's cases found from its plan (planCaseLookup): the version files are not read again. */
  lookup?: CaseLookup;
  /** results.jsonl as the run last read it, nothing written since (RunOutcome.scan): not read again. */
  scan?: SlimScan;
  /** results.jsonl was written whole by this process's runner (see RunViewSource). */
  incidentsInResults?: boolean;
  /** `--otlp`: send every evaluation there after the reports (see src/otlp). */
  otlp?: OtlpTarget;
  /** No info lines on stderr (warnings still print). */
  quiet?: boolean;
}

export async function finishRun(runDir: string, loaded: Pick<LoadedConfig, 'config' | 'dir'>, opts: FinishOptions): Promise<number> {
  const { view, written } = await writeRunReports(runDir, loaded, { ...opts, keepOpen: true });
  try {
    const comparison = view.comparison;
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(view));

    const rel = (p: string): string => path.relative(opts.cwd, p) || p;
    const lines: string[] = [];
    for (const v of comparison.variants) lines.push(variantLine(v, countBriefs(view.briefs.filter((r) => r.variant === v.variant))));
    lines.push(`gate: ${comparison.gate.status.toUpperCase()} (baseline: ${comparison.baseline.label})`);
    for (const r of [...comparison.gate.reasons, ...opts.extra]) lines.push(`  - ${r}`);
    lines.push(...written.map((w) => `wrote ${rel(w)}`));
    process.stdout.write(`${lines.join('\n')}\n`);
    if (opts.otlp) {
      // The SDK is loaded only here, so runs without --otlp never pay for it.
      const sent = await (await import('../otlp/send-run.js')).sendRunEvaluations(view, opts.otlp);
      if (sent.level === 'warning') process.stderr.write(`evals: warning: ${sent.message}\n`);
      else if (!opts.quiet) process.stderr.write(`${sent.message}\n`);
    }
    return exitCodeFor(comparison.gate, loaded.config.gate);
  } finally {
    view.close();
  }
}

/**
 * The quiet part of finishing a run (also used by the Vitest integration): compares the
 * results (streamed from results.jsonl) with the baseline, writes run.json with the comparison
 * and the reports. Results are read back per row and cases one at a time (from the run's
 * pinned dataset versions, or `opts.cases`), so memory stays flat in the number of cases.
 * The returned view is closed unless `keepOpen` (then the caller closes it).
 */
export async function writeRunReports(runDir: string, loaded: Pick<LoadedConfig, 'config' | 'dir'>, opts: Pick<FinishOptions, 'formats' | 'baselineRun' | 'cases' | 'known' | 'lookup' | 'scan' | 'incidentsInResults'> & { keepOpen?: boolean }): Promise<{ view: RunView; written: string[] }> {
  const record = await readRunRecord(runDir);
  if (!record) throw new RunError('run directory has no run.json', { file: runDir });
  const cases = opts.lookup ?? (opts.cases ? lookupOfMap(opts.cases) : undefined) ?? await openCaseLookup(process.env.EVALS_DATASETS_DIR ? path.resolve(process.env.EVALS_DATASETS_DIR) : path.resolve(loaded.dir, loaded.config.datasetsDir), record.datasets, opts.known);
  // A re-rendered run.json holds the previous comparison (and summary): dropped before the new
  // one is built, keeping their place in the record.
  if (record.comparison) (record as { comparison?: unknown }).comparison = null;
  if (opts.formats.includes('json') && 'summary' in record) (record as { summary?: unknown }).summary = null;
  // Another judge grades on another scale: say so wherever the verdict is read.
  const judgeWarnings = judgeDifferences(opts.baselineRun?.judge, record.judge).map((w) => `warning: ${w}`);
  const compare = { gate: loaded.config.gate, sampledBaseline: record.variants.some((v) => v.role === 'baseline'), ...(opts.baselineRun ? { baselineRun: opts.baselineRun } : {}) };
  const view = await openRunView(runDir, record, cases, compare, (comparison) => {
    if (judgeWarnings.length > 0) comparison.gate.reasons.push(...judgeWarnings);
  }, { ...(opts.scan ? { scan: opts.scan } : {}), ...(opts.incidentsInResults ? { incidentsInResults: true } : {}) });
  phaseDone('compare');
  try {
    // The json reporter writes run.json (record, comparison, summary); without it, the record alone.
    if (!opts.formats.includes('json')) await writeAtomic(path.join(runDir, RUN_FILE), recordChunks(view.run));
    const written = await writeReports(runDir, view, opts.formats);
    phaseDone('reports');
    return { view, written };
  } finally {
    if (!opts.keepOpen) view.close();
  }
}

/** `run.json` as `writeRunRecord` writes it, the comparison's case entries one at a time. */
function* recordChunks(run: RunView['run']): Generator<string> {
  const cases = placeholderFor('comparison.cases');
  const value = run.comparison ? { ...run, comparison: { ...run.comparison, cases } } : run;
  yield* stringifyStreamed(value, run.comparison ? [{ placeholder: cases, items: run.comparison.cases }] : []);
  yield '\n';
}

/** One line per variant, with the same counts every report shows. */
function variantLine(v: Comparison['variants'][number], c: VerdictCounts): string {
  const runs = [`${v.passed} passed`, `${v.failed} failed`, ...(v.errored ? [`${v.errored} errored`] : []), ...(v.skipped ? [`${v.skipped} skipped`] : []), ...(v.unscored ? [`${v.unscored} unscored`] : [])];
  if (v.role === 'baseline') return `${v.variant} (baseline): ${v.total} run(s): ${runs.join(', ')} · ${v.cacheHits} cached · $${v.costUsd.toFixed(4)}`;
  const extra = (['flaky', 'unconfirmed', 'new', 'missing', 'errored', 'unscored', 'skipped'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  const verdicts = [`${c.regressed} regressed`, `${c.fixed} fixed`, `${c.unchanged} unchanged`, ...extra];
  return `${v.variant}: ${c.total} case(s): ${verdicts.join(', ')} · ${v.total} run(s)${v.confirmationRuns ? ` (${v.confirmationRuns} confirmation)` : ''}: ${runs.join(', ')} · ${v.cacheHits} cached · $${v.costUsd.toFixed(4)}`;
}

/**
 * Reads another run as the baseline of `candidates` (this run's candidate variants): each is
 * matched with the baseline run's variant of the same name, else `baselineVariant`, else the
 * baseline run's only candidate variant; anything else is a usage error, never a silent
 * "every case is new".
 */
export async function readBaselineRun(target: string, cwd: string, candidates: readonly string[], baselineVariant?: string): Promise<BaselineRun> {
  if (!existsSync(target)) throw new NotFoundError('baseline run not found', { file: path.relative(cwd, target) || target, expected: 'a run directory or its results.jsonl' });
  const dir = statSync(target).isDirectory() ? target : path.dirname(target);
  const label = path.relative(cwd, dir) || dir;
  // Streamed and slimmed: only what comparison reads of each result is kept (last line per key wins).
  const names = new Interner();
  const latest = new Map<string, CaseResult>();
  for await (const r of iterateResults(dir)) {
    const k = resultKey(r);
    latest.delete(k);
    latest.set(k, slimResult(r, names));
  }
  const byVariant = new Map<string, CaseResult[]>();
  for (const r of latest.values()) {
    if (r.role === 'baseline') continue;
    const list = byVariant.get(r.variant);
    if (list) list.push(r);
    else byVariant.set(r.variant, [r]);
  }
  const theirs = [...byVariant.keys()];
  if (theirs.length === 0) throw new UsageError('the baseline run holds no candidate result', { file: label, expected: 'a run directory written by `evals run`' });
  if (baselineVariant !== undefined && !byVariant.has(baselineVariant)) {
    throw new UsageError('--baseline-variant names no variant of the baseline run', { file: label, expected: theirs.join(', '), found: baselineVariant });
  }
  const entries = new Map<string, Obs[]>();
  for (const mine of candidates) {
    const match = baselineVariant ?? (byVariant.has(mine) ? mine : theirs.length === 1 ? theirs[0]! : undefined);
    if (match === undefined) {
      throw new UsageError(`variant "${mine}" is not in the baseline run, which has several`, { file: label, expected: `--baseline-variant <one of ${theirs.join(', ')}>`, found: mine });
    }
    for (const r of byVariant.get(match) ?? []) {
      const key = groupKey(r.dataset, r.caseId, mine);
      const list = entries.get(key);
      if (list) list.push(toObs(r));
      else entries.set(key, [toObs(r)]);
    }
  }
  const judge = (await readRunRecord(dir))?.judge;
  return { label, entries, ...(judge ? { judge } : {}) };
}

export { exitCodeFor };
