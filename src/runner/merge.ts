/**
 * `evals merge`: combine the run directories of `--shard i/n` runs into one run. Results are
 * deduplicated by key (first seen wins; a budget skip yields to a real result). Shards that ran
 * different versions of the same dataset cannot be compared as one run, so that is an error.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import type { RunDatasetRef, RunRecord } from './run-record.js';
import type { CaseResult } from './result.js';
import { iterateResults, openResultsWriter, resultKey, RESULTS_FILE, SKIPPED_BY_BUDGET } from './results.js';
import { readRunRecord, RUN_FILE, writeRunRecord } from './run-file.js';

/** What a merge produced. */
export interface MergeOutcome {
  outDir: string;
  results: number;
  duplicates: number;
  record: RunRecord;
}

function checkDatasets(records: Array<{ dir: string; record: RunRecord }>): RunDatasetRef[] {
  const seen = new Map<string, { ref: RunDatasetRef; dir: string }>();
  for (const { dir, record } of records) {
    for (const ref of record.datasets) {
      const prev = seen.get(ref.name);
      if (!prev) seen.set(ref.name, { ref, dir });
      else if (prev.ref.version !== ref.version || prev.ref.hash !== ref.hash) {
        throw new RunError(`shards ran different versions of dataset "${ref.name}"`, {
          file: join(dir, RUN_FILE),
          field: 'datasets',
          expected: `${ref.name}@${prev.ref.version} (${prev.ref.hash.slice(0, 12)}) as in ${join(prev.dir, RUN_FILE)}`,
          found: `${ref.name}@${ref.version} (${ref.hash.slice(0, 12)})`,
          hint: 'run every shard against the same pinned dataset version',
        });
      }
    }
  }
  return [...seen.values()].map((v) => v.ref);
}

/** Merges `dirs` into `outDir` (results.jsonl + run.json). Throws RunError on conflicts. */
export async function mergeRuns(dirs: string[], outDir: string): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new RunError('nothing to merge', { expected: 'one or more run directories', found: 'none' });
  const records: Array<{ dir: string; record: RunRecord }> = [];
  for (const dir of dirs) {
    const record = await readRunRecord(dir);
    if (!record) throw new RunError('not a run directory', { file: join(dir, RUN_FILE), expected: 'run.json written by evals run', found: 'no such file' });
    records.push({ dir, record });
  }
  const datasets = checkDatasets(records);
  await mkdir(outDir, { recursive: true });
  // Pass 1 keeps only keys and a flag, so memory is a set of short strings, not results.
  const real = new Set<string>();
  for (const dir of dirs) for await (const r of iterateResults(dir)) if (r.error?.type !== SKIPPED_BY_BUDGET) real.add(resultKey(r));
  const writer = await openResultsWriter(outDir);
  const written = new Set<string>();
  const counts = { total: 0, completed: 0, errored: 0, cached: 0 };
  let costUsd = 0;
  let batchSavedUsd = 0;
  let duplicates = 0;
  try {
    for (const dir of dirs) {
      for await (const r of iterateResults(dir)) {
        const k = resultKey(r);
        const skip = r.error?.type === SKIPPED_BY_BUDGET;
        if (written.has(k) || (skip && real.has(k))) {
          duplicates++;
          continue;
        }
        written.add(k);
        writer.write(r);
        tally(r, counts, skip);
        costUsd += r.costUsd ?? 0;
        batchSavedUsd += r.batchSavedUsd ?? 0;
      }
    }
  } finally {
    await writer.close();
  }
  const first = records[0]!.record;
  const { shard: _drop, batch: _batch, ...rest } = first;
  const batch = mergeBatch(records.map((r) => r.record.batch), batchSavedUsd);
  const record: RunRecord = {
    ...rest,
    id: `${first.id}-merged`,
    startedAt: records.map((r) => r.record.startedAt).sort()[0] ?? first.startedAt,
    finishedAt: new Date().toISOString(),
    status: records.every((r) => r.record.status === 'completed') ? 'completed' : 'interrupted',
    datasets,
    counts: { ...counts, total: records.reduce((n, r) => n + r.record.counts.total, 0) },
    costUsd,
    ...(batch ? { batch } : {}),
  };
  await writeRunRecord(outDir, record);
  return { outDir, results: written.size, duplicates, record };
}

/** The shards' `--batch` sections added up; the saving is recounted from the merged results. */
function mergeBatch(parts: Array<RunRecord['batch']>, savedUsd: number): RunRecord['batch'] {
  const present = parts.filter((b): b is NonNullable<RunRecord['batch']> => b !== undefined);
  if (present.length === 0) return undefined;
  const sum = (k: 'answered' | 'errored' | 'unfinished' | 'live'): number => present.reduce((n, b) => n + b[k], 0);
  return { savedUsd, answered: sum('answered'), errored: sum('errored'), unfinished: sum('unfinished'), live: sum('live'), batches: present.flatMap((b) => b.batches) };
}

function tally(r: CaseResult, counts: RunRecord['counts'], skip: boolean): void {
  if (skip) return;
  counts.completed++;
  if (r.error) counts.errored++;
  if (r.cached) counts.cached++;
}

/** Path of a run's results file (for callers that stream it themselves). */
export function resultsPath(dir: string): string {
  return join(dir, RESULTS_FILE);
}
