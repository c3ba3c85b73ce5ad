/**
 * After a run (or a merge): read the results, compare with the baseline, write run.json with
 * the comparison and the reports, print the verdict, and return the exit code.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BaselineEntry } from '../compare/compare.js';
import { compareResults } from '../compare/compare.js';
import type { LoadedConfig } from '../config/load.js';
import type { Case } from '../datasets/case.js';
import { readVersion } from '../datasets/dataset-read.js';
import { ExitCode, NotFoundError, RunError } from '../errors.js';
import type { ReportFormat } from '../reporters/write.js';
import { writeReports } from '../reporters/write.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { readResults } from '../runner/results.js';
import { readRunRecord, writeRunRecord } from '../runner/run-file.js';
import type { CaseResult } from '../runner/result.js';

export interface FinishOptions {
  formats: ReportFormat[];
  /** Another run's directory or results.jsonl to compare with. */
  baseline?: string;
  cwd: string;
  /** Extra lines for the terminal summary. */
  extra: string[];
  /** The run's cases when the caller already holds them (saves reading every case file again). */
  cases?: ReadonlyMap<string, Case>;
}

export async function finishRun(runDir: string, loaded: Pick<LoadedConfig, 'config' | 'dir'>, opts: FinishOptions): Promise<number> {
  const record = await readRunRecord(runDir);
  if (!record) throw new RunError('run directory has no run.json', { file: runDir });
  const results = await readResults(runDir);
  const cases = opts.cases ?? (await readRunCases(record.datasets, process.env.EVALS_DATASETS_DIR ? path.resolve(process.env.EVALS_DATASETS_DIR) : path.resolve(loaded.dir, loaded.config.datasetsDir)));
  const incidents = new Map([...cases.values()].filter((c) => c.labels.incident).map((c) => [c.id, c.labels.incident!]));
  const comparison = compareResults(results, {
    gate: loaded.config.gate,
    incidents,
    ...(opts.baseline ? { baselineRun: await readBaseline(opts.baseline, opts.cwd) } : {}),
  });
  const finished = { ...record, comparison };
  await writeRunRecord(runDir, finished);
  const input = { run: finished, results, cases };
  const written = await writeReports(runDir, input, opts.formats);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(input));

  const rel = (p: string): string => path.relative(opts.cwd, p) || p;
  const lines: string[] = [];
  for (const v of comparison.variants) {
    lines.push(
      `${v.variant}: ${v.total} run(s): ${v.passed} passed, ${v.failed} failed, ${v.errored} errored · ${v.fixed} fixed, ${v.regressed} regressed, ${v.unchanged} unchanged · ${v.cacheHits} cached · $${v.costUsd.toFixed(4)}`,
    );
  }
  lines.push(`gate: ${comparison.gate.status.toUpperCase()} (baseline: ${comparison.baseline.label})`);
  for (const r of [...comparison.gate.reasons, ...opts.extra]) lines.push(`  - ${r}`);
  lines.push(...written.map((w) => `wrote ${rel(w)}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return exitCodeFor(comparison.gate.status, results);
}

/** The cases of the exact dataset versions a run used. */
async function readRunCases(datasets: ReadonlyArray<{ name: string; version: number }>, root: string): Promise<Map<string, Case>> {
  const cases = new Map<string, Case>();
  for (const ref of datasets) {
    const v = await readVersion(root, ref.name, ref.version);
    for (const c of v.cases) cases.set(c.id, c);
  }
  return cases;
}

/** 1 on a failed gate; 3 when nothing could be evaluated; else 0 (inconclusive is a warning). */
export function exitCodeFor(status: 'pass' | 'fail' | 'inconclusive', results: readonly CaseResult[]): number {
  if (status === 'fail') return ExitCode.regression;
  if (results.length > 0 && results.every((r) => r.error)) return ExitCode.runError;
  return ExitCode.ok;
}

async function readBaseline(target: string, cwd: string): Promise<{ label: string; entries: Map<string, BaselineEntry> }> {
  if (!existsSync(target)) throw new NotFoundError('baseline run not found', { file: path.relative(cwd, target) || target, expected: 'a run directory or its results.jsonl' });
  const dir = statSync(target).isDirectory() ? target : path.dirname(target);
  const entries = new Map<string, BaselineEntry>();
  const byKey = new Map<string, CaseResult[]>();
  for (const r of await readResults(dir)) {
    if (r.error) continue;
    const key = `${r.caseId}|${r.variant}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  for (const [key, rs] of byKey) {
    // Majority over repeats, scores of the first repeat.
    const passes = rs.filter((r) => r.pass).length;
    entries.set(key, { pass: passes * 2 > rs.length, scores: rs[0]!.scores });
  }
  return { label: path.relative(cwd, dir) || dir, entries };
}
