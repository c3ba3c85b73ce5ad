/**
 * `evals compare <baseline-run> <candidate-run>` and `evals report <run-dir>`: the comparison,
 * gate and reports of `evals run`, from stored results only (no model calls). `compare` matches
 * the candidate's variants with the baseline run's (same name, `--baseline-variant`, or its only
 * one); `report` re-renders every format of a run, e.g. after an upgrade or a gate change.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../errors.js';
import { mergeRuns } from '../runner/merge.js';
import { readResults } from '../runner/results.js';
import { finishRun, readBaselineRun } from './run-report.js';
import { parseFormats } from './run.js';
import { resolveOtlpTarget } from '../otlp/endpoint.js';
import { loadOptionalConfig } from './shared.js';

export interface CompareOptions {
  config?: string;
  baselineVariant?: string;
  out?: string;
  reporter: string;
}

export interface ReportOptions {
  config?: string;
  reporter: string;
  /** As for `evals run --otlp`. */
  otlp?: true | string;
}

function runDirOf(target: string, cwd: string, what: string): string {
  const abs = path.resolve(cwd, target);
  if (!existsSync(abs)) throw new NotFoundError(`${what} not found`, { file: target, expected: 'a run directory written by `evals run` (or its results.jsonl)' });
  const dir = statSync(abs).isDirectory() ? abs : path.dirname(abs);
  if (!existsSync(path.join(dir, 'run.json'))) throw new NotFoundError(`${what} has no run.json`, { file: path.relative(cwd, dir) || dir, expected: 'a run directory written by `evals run`' });
  return dir;
}

export async function compareCommand(baseline: string, candidate: string, opts: CompareOptions, cwd = process.cwd()): Promise<void> {
  const formats = parseFormats(opts.reporter);
  const loaded = await loadOptionalConfig(opts.config, cwd);
  const baseDir = runDirOf(baseline, cwd, 'baseline run');
  let candDir = runDirOf(candidate, cwd, 'candidate run');
  const variants = [...new Set((await readResults(candDir)).filter((r) => r.role !== 'baseline').map((r) => r.variant))];
  const baselineRun = await readBaselineRun(baseDir, cwd, variants, opts.baselineVariant);
  if (opts.out) {
    const out = path.resolve(cwd, opts.out);
    await mergeRuns([candDir], out);
    candDir = out;
  }
  process.exitCode = await finishRun(candDir, loaded, { formats, baselineRun, cwd, extra: [] });
}

export async function reportCommand(runDir: string, opts: ReportOptions, cwd = process.cwd()): Promise<void> {
  const formats = parseFormats(opts.reporter);
  const otlp = opts.otlp !== undefined ? resolveOtlpTarget(opts.otlp) : undefined;
  const loaded = await loadOptionalConfig(opts.config, cwd);
  process.exitCode = await finishRun(runDirOf(runDir, cwd, 'run'), loaded, { formats, cwd, extra: [], ...(otlp ? { otlp } : {}) });
}
