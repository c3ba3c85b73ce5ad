/**
 * After a run (or a merge): read the results, compare with the baseline, write run.json with
 * the comparison and the reports, print the verdict, and return the exit code.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareResults } from '../compare/compare.js';
import { exitCodeFor } from '../compare/gate.js';
import { groupKey, toObs, type Obs } from '../compare/observations.js';
import type { LoadedConfig } from '../config/load.js';
import type { Case } from '../datasets/case.js';
import { readVersion } from '../datasets/storage/dataset-read.js';
import { NotFoundError, RunError, UsageError } from '../errors.js';
import type { ReportFormat } from '../reporters/write.js';
import type { ReportInput } from '../reporters/report-input.js';
import { writeReports } from '../reporters/write.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { buildRows, countVerdicts, type VerdictCounts } from '../reporters/case-rows.js';
import { readResults } from '../runner/results.js';
import { readRunRecord, writeRunRecord } from '../runner/run-file.js';
import type { CaseResult } from '../runner/result.js';
import type { Comparison } from '../compare/types.js';
import type { OtlpTarget } from '../otlp/endpoint.js';
import { judgeDifferences, type RunJudge } from '../evaluators/judge-settings.js';

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
  /** `--otlp`: send every evaluation there after the reports (see src/otlp). */
  otlp?: OtlpTarget;
  /** No info lines on stderr (warnings still print). */
  quiet?: boolean;
}

export async function finishRun(runDir: string, loaded: Pick<LoadedConfig, 'config' | 'dir'>, opts: FinishOptions): Promise<number> {
  const { input, written } = await writeRunReports(runDir, loaded, opts);
  const comparison = input.run.comparison!;
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(input));

  const rel = (p: string): string => path.relative(opts.cwd, p) || p;
  const lines: string[] = [];
  const rows = buildRows(input);
  for (const v of comparison.variants) lines.push(variantLine(v, countVerdicts(rows.filter((r) => r.variant === v.variant))));
  lines.push(`gate: ${comparison.gate.status.toUpperCase()} (baseline: ${comparison.baseline.label})`);
  for (const r of [...comparison.gate.reasons, ...opts.extra]) lines.push(`  - ${r}`);
  lines.push(...written.map((w) => `wrote ${rel(w)}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.otlp) {
    // The SDK is loaded only here, so runs without --otlp never pay for it.
    const sent = await (await import('../otlp/send-run.js')).sendRunEvaluations(input, opts.otlp);
    if (sent.level === 'warning') process.stderr.write(`evals: warning: ${sent.message}\n`);
    else if (!opts.quiet) process.stderr.write(`${sent.message}\n`);
  }
  return exitCodeFor(comparison.gate, loaded.config.gate);
}

/**
 * The quiet part of finishing a run (also used by the Vitest integration): reads the results,
 * compares them with the baseline, writes run.json with the comparison and the reports.
 */
export async function writeRunReports(runDir: string, loaded: Pick<LoadedConfig, 'config' | 'dir'>, opts: Pick<FinishOptions, 'formats' | 'baselineRun' | 'cases'>): Promise<{ input: ReportInput; written: string[] }> {
  const record = await readRunRecord(runDir);
  if (!record) throw new RunError('run directory has no run.json', { file: runDir });
  const results = await readResults(runDir);
  const cases = opts.cases ?? (await readRunCases(record.datasets, process.env.EVALS_DATASETS_DIR ? path.resolve(process.env.EVALS_DATASETS_DIR) : path.resolve(loaded.dir, loaded.config.datasetsDir)));
  const incidents = new Map([...cases.values()].filter((c) => c.labels.incident).map((c) => [c.id, c.labels.incident!]));
  const comparison = compareResults(results, {
    gate: loaded.config.gate,
    incidents,
    sampledBaseline: record.variants.some((v) => v.role === 'baseline'),
    ...(opts.baselineRun ? { baselineRun: opts.baselineRun } : {}),
  });
  // Another judge grades on another scale: say so wherever the verdict is read.
  const judgeWarnings = judgeDifferences(opts.baselineRun?.judge, record.judge).map((w) => `warning: ${w}`);
  if (judgeWarnings.length > 0) comparison.gate.reasons.push(...judgeWarnings);
  const finished = { ...record, comparison };
  await writeRunRecord(runDir, finished);
  const input: ReportInput = { run: finished, results, cases };
  // Results read back from results.jsonl were scrubbed by their writer: no second deep copy.
  return { input, written: await writeReports(runDir, input, opts.formats, { resultsScrubbed: true }) };
}

/** The cases of the exact dataset versions a run used. */
async function readRunCases(datasets: ReadonlyArray<{ name: string; version: string | number }>, root: string): Promise<Map<string, Case>> {
  const cases = new Map<string, Case>();
  for (const ref of datasets) {
    const v = await readVersion(root, ref.name, ref.version);
    for (const c of v.cases) cases.set(c.id, c);
  }
  return cases;
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
  const byVariant = new Map<string, CaseResult[]>();
  for (const r of await readResults(dir)) {
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
    for (const r of byVariant.get(match)!) {
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
