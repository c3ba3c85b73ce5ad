/**
 * One Vitest file's run of a suite: the plan `evals run` would build (same config, datasets,
 * providers, pipeline, evaluators), the same response cache and scheduler, and optionally a run
 * directory with the normal reports. Cases run one test at a time through the runner's own
 * `runUnit`; nothing here runs or scores a case itself. No Vitest import: describe-suite.ts
 * wires this to tests. Every resource opened in `openSession` is released by `close()`, so watch
 * mode can run the file again in the same process.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRunPlan } from '../cli/run-plan.js';
import { writeRunReports } from '../cli/run-report.js';
import type { LoadedConfig } from '../config/load.js';
import type { Case } from '../datasets/case.js';
import { openResponseCache, type ResponseCache } from '../providers/cache.js';
import { CostTracker } from '../providers/pricing.js';
import { caseLinkFragment } from '../reporters/html/case-link.js';
import { REPORT_FORMATS } from '../reporters/write.js';
import type { CaseResult } from '../runner/result.js';
import { openResultsWriter, RESULTS_FILE, type ResultsWriter } from '../runner/results.js';
import { baseRecord } from '../runner/run.js';
import { runUnit } from '../runner/run-case.js';
import { lockRunDir } from '../runner/run-dir.js';
import { RUN_FILE, writeRunRecord } from '../runner/run-file.js';
import { loadItem, readAhead, type LoadedItem } from '../runner/plan-items.js';
import type { RunPlan, RunVariant } from '../runner/run-plan.js';
import { Scheduler } from '../runner/schedule.js';
import type { CaseFilter } from '../cli/run-filter.js';

/** What the tests of one file run: the plan, built at collection time. */
export interface SuitePlan {
  loaded: LoadedConfig;
  plan: RunPlan;
  /** The plan's cases, read whole: each one names a test at collection time. */
  items: Array<LoadedItem>;
  /** The variants that become tests (a sampled baseline is not a candidate). */
  variants: RunVariant[];
  /** Where reports go; undefined with `report: false`. */
  runDir: string | undefined;
}

export interface PlanOptions {
  datasets?: string[];
  variants?: string[];
  filter?: CaseFilter;
  /** Run directory name under run.outDir; undefined: no run directory, no reports. */
  runId: string | undefined;
  cache?: boolean;
}

/** Builds the plan exactly as `evals run` does (no sampled baseline: each test judges its own case). */
export async function planSuite(loaded: LoadedConfig, o: PlanOptions): Promise<SuitePlan> {
  const runDir = o.runId === undefined ? undefined : path.resolve(loaded.dir, loaded.config.run.outDir, o.runId);
  const plan = await buildRunPlan(loaded, {
    runDir: runDir ?? loaded.dir,
    runId: o.runId ?? 'vitest',
    ...(o.datasets ? { datasets: o.datasets } : {}),
    ...(o.variants ? { variants: o.variants } : {}),
    ...(o.cache === false ? { cache: false } : {}),
    ...(o.filter ? { filter: o.filter } : {}),
    resume: false,
    configHash: `sha256:${createHash('sha256').update(loaded.text).digest('hex')}`,
    configFile: path.relative(process.cwd(), loaded.file) || loaded.file,
    sampledBaseline: false,
  });
  // Test names need every case (its id and incident) when Vitest collects the file.
  const items: LoadedItem[] = [];
  for await (const [item, c] of readAhead(plan.items, loadItem, 64)) items.push({ dataset: item.dataset, case: c });
  plan.items = items;
  return { loaded, plan, items, variants: plan.variants.filter((v) => v.role !== 'baseline'), runDir };
}

/** The open run of one test file. */
export interface Session {
  /** Runs every repeat of one case × variant; undefined when the cost budget was reached first. */
  runCase(dataset: string, c: Case, variant: RunVariant, signal: AbortSignal): Promise<CaseResult[] | undefined>;
  /** file:// URL of the case in report.html (written when the file's tests end). */
  reportLink(caseId: string, variant: string): string | undefined;
  /** Closes the cache and results, writes run.json and the reports, releases the run directory. */
  close(): Promise<void>;
}

/** Opens the cache, the scheduler and (unless `report: false`) the run directory. */
export async function openSession(s: SuitePlan): Promise<Session> {
  const { plan, runDir } = s;
  const release = runDir ? await lockRunDir(runDir) : undefined;
  let cache: ResponseCache | undefined;
  let writer: ResultsWriter | undefined;
  try {
    if (runDir) {
      // The directory is this file's own: a previous run (watch mode) is replaced, never resumed.
      await Promise.all([RESULTS_FILE, RUN_FILE, 'report.html', 'summary.md', 'junit.xml'].map((f) => rm(path.join(runDir, f), { force: true })));
      writer = await openResultsWriter(runDir);
      await writeRunRecord(runDir, baseRecord(plan, 'running', new Date().toISOString()));
    }
    cache = plan.cache?.enabled ? await openResponseCache(plan.cache.dir) : undefined;
  } catch (err) {
    await writer?.close();
    await release?.();
    throw err;
  }
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const scheduler = new Scheduler({ concurrency: Math.max(1, plan.concurrency ?? 8), ...plan.retry });
  const costs = new CostTracker(plan.pricing);
  const ran = new Map<string, Case>();
  const counts = { total: 0, completed: 0, errored: 0, cached: 0 };
  const repeat = Math.max(1, plan.repeat ?? 1);

  return {
    async runCase(dataset, c, variant, signal) {
      const out: CaseResult[] = [];
      for (let r = 0; r < repeat; r++) {
        if (plan.maxCostUsd !== undefined && costs.totalUsd >= plan.maxCostUsd) return undefined;
        const result = await scheduler.schedule(() => runUnit({ dataset, case: c, variant, repeat: r }, { plan, scheduler, cache, costs, signal }));
        writer?.write(result);
        ran.set(c.id, c);
        counts.total++;
        counts.completed++;
        if (result.error) counts.errored++;
        if (result.cached) counts.cached++;
        out.push(result);
      }
      return out;
    },
    reportLink(caseId, variant) {
      return runDir ? `${pathToFileURL(path.join(runDir, 'report.html')).href}#${caseLinkFragment(caseId, variant)}` : undefined;
    },
    async close() {
      try {
        await cache?.close();
        if (!runDir || !writer) return;
        await writer.close();
        await writeRunRecord(runDir, { ...baseRecord(plan, 'completed', startedAt), finishedAt: new Date().toISOString(), counts, costUsd: costs.totalUsd, durationMs: Math.round(performance.now() - t0) });
        if (counts.completed > 0) await writeRunReports(runDir, s.loaded, { formats: REPORT_FORMATS, cases: ran });
      } finally {
        await release?.();
      }
    },
  };
}
