/**
 * `describeSuite()`: a dataset's cases as Vitest tests, one per case × variant, grouped by
 * dataset. Collection loads the config and the datasets and builds the same plan as `evals run`
 * (so `vitest list`, `-t` and the UI see every case); the cache, scheduler and run directory
 * open only when a test of the file actually runs (beforeAll) and close after its last test
 * (afterAll). Nothing is left on `process` between runs, so watch mode re-runs cleanly.
 */
import path from 'node:path';
import { afterAll, beforeAll, chai, describe, expect, test } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { CaseFilter } from '../cli/run-filter.js';
import { validateRunId } from '../runner/run-dir.js';
import type { CaseResult } from '../runner/result.js';
import { frameIn, pointAt } from './call-site.js';
import { openSession, planSuite, type Session } from './session.js';
import { checkCase } from './verdict.js';

/** Options of {@link describeSuite}; every one is optional. */
export interface DescribeSuiteOptions {
  /** Config file, relative to `cwd`. Default: `evals.config.yaml` (or `.yml`, `.ts`, `.mjs`, `.js`) in `cwd`. */
  config?: string;
  /** Where the config is looked for. Default: `process.cwd()` (the Vitest root). */
  cwd?: string;
  /** Values for `${VAR}` in a YAML config, over `process.env` (e.g. a URL a globalSetup `provide`d). */
  env?: Record<string, string | undefined>;
  /** Only these datasets (`name`, `name@latest`, `name@<hash>`). Default: the config's `datasets`. */
  datasets?: string[];
  /** Only these variants. Default: all of the config's. */
  variants?: string[];
  /** Only cases carrying one of these tags. */
  tags?: string[];
  /** Only cases whose id starts with one of these (`c_` optional). */
  cases?: string[];
  /** Only cases tied to an incident (`true`), or to this one. */
  incident?: true | string;
  /**
   * Count every evaluator failure. Default false: a failure production's own recorded answer
   * had too (the same evaluator failed on it) is a known failure, shown as skipped with a
   * warning annotation, not as a failed test. Incident cases always count.
   */
  strict?: boolean;
  /** Run a dataset's tests concurrently (bounded by `run.concurrency` and Vitest's `maxConcurrency`). Default true. */
  concurrent?: boolean;
  /** Per test, ms. Default: room for every retry of every repeat, from `run.timeoutMs`, `run.retries` and `run.evaluatorTimeoutMs`. */
  timeout?: number;
  /**
   * The run directory the file's results and reports go to, under `run.outDir`: a run id, or
   * false for none (no report links then). Default `vitest-<test file name>`. It is rewritten
   * on every run of the file.
   */
  report?: string | false;
  /** Use the response cache (`run.cache`, `run.cacheDir`). Default: as the config says. */
  cache?: boolean;
  /** Name of the outer `describe`. Default: the config file's name. */
  name?: string;
}

/** What each test leaves in `task.meta.evals` (JSON reporter, custom reporters, the UI). */
export interface EvalsTestMeta {
  dataset: string;
  caseId: string;
  variant: string;
  incident?: string;
  status: 'pass' | 'known-failure' | 'fail' | 'budget';
  runs: Array<Pick<CaseResult, 'pass' | 'scores' | 'latencyMs' | 'costUsd' | 'cached' | 'output'> & { error?: string }>;
  report?: string;
}

/**
 * Declares one Vitest test per case × variant of the suite in `evals.config.*`. Call it at the
 * top level of a test file, e.g. `evals.test.ts`:
 *
 * ```ts
 * import { describeSuite } from '@evals-dev/evals/vitest';
 * describeSuite();
 * ```
 */
export function describeSuite(options: DescribeSuiteOptions = {}): void {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const testFile = expect.getState().testPath;
  // The describeSuite() line of the test file: where failures point (see call-site.ts).
  const site = testFile ? frameIn(testFile, new Error().stack) : undefined;
  describe(options.name ?? options.config ?? 'evals', async () => {
    const env = options.env ? { ...process.env, ...options.env } : process.env;
    const loaded = await loadConfig(cwd, options.config, env);
    const runId = options.report === false ? undefined : validateRunId(options.report ?? defaultRunId(testFile), 'describeSuite({ report })');
    const suite = await planSuite(loaded, {
      runId,
      ...(options.datasets ? { datasets: options.datasets } : {}),
      ...(options.variants ? { variants: options.variants } : {}),
      ...(options.cache === false ? { cache: false } : {}),
      ...filterOf(options),
    });
    const { plan } = suite;
    const repeat = Math.max(1, plan.repeat ?? 1);
    const timeout = options.timeout ?? repeat * ((plan.timeoutMs ?? 60_000) * (plan.retry?.maxAttempts ?? 1) + (plan.evaluatorTimeoutMs ?? 60_000)) * 2;

    let session: Session | undefined;
    // Opening reads the whole response cache; closing renders the reports: more than Vitest's default 10 s on a big suite.
    beforeAll(async () => {
      session = await openSession(suite);
    }, HOOK_TIMEOUT_MS);
    afterAll(async () => {
      const s = session;
      session = undefined;
      await s?.close();
    }, HOOK_TIMEOUT_MS);

    const datasets = [...new Set(suite.items.map((i) => i.dataset))];
    for (const dataset of datasets) {
      describe(dataset, { concurrent: options.concurrent ?? true }, () => {
        for (const item of suite.items.filter((i) => i.dataset === dataset)) {
          const c = item.case;
          for (const variant of suite.variants) {
            const name = `${c.id} [${variant.name}]${c.labels.incident ? ` (${c.labels.incident})` : ''}`;
            test(name, { timeout }, async (ctx) => {
              if (!session) throw new Error('the evals session is not open (beforeAll did not run)');
              const link = session.reportLink(c.id, variant.name);
              const results = await session.runCase(dataset, c, variant, ctx.signal);
              const meta: EvalsTestMeta = { dataset, caseId: c.id, variant: variant.name, ...(c.labels.incident ? { incident: c.labels.incident } : {}), status: 'budget', runs: [], ...(link ? { report: link } : {}) };
              (ctx.task.meta as { evals?: EvalsTestMeta }).evals = meta;
              if (!results) return ctx.skip(`not run: the cost budget (run.maxCostUsd ${plan.maxCostUsd}) was reached`);
              meta.runs = results.map((r) => ({ pass: r.pass, scores: r.scores, latencyMs: r.latencyMs, output: r.output, ...(r.costUsd !== undefined ? { costUsd: r.costUsd } : {}), ...(r.cached ? { cached: true } : {}), ...(r.error ? { error: r.error.message } : {}) }));
              const check = checkCase(c, results, { ...(options.strict ? { strict: true } : {}), ...(link ? { reportLink: link } : {}) });
              meta.status = check.status;
              if (check.status === 'known-failure') {
                await ctx.annotate(check.message, 'warning');
                return ctx.skip(check.message);
              }
              if (check.status === 'fail') throw pointAt(new chai.AssertionError(check.message), site);
            });
          }
        }
      });
    }
  });
}

const HOOK_TIMEOUT_MS = 300_000;

/** `vitest-<file name without .test.ts and the like>`, a valid run id. */
function defaultRunId(testFile: string | undefined): string {
  const stem = path.basename(testFile ?? 'suite').replace(/(\.(test|spec|eval|evals))*\.[cm]?[jt]sx?$/, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `vitest-${safe || 'suite'}`.slice(0, 128);
}

function filterOf(o: DescribeSuiteOptions): { filter?: CaseFilter } {
  const f: CaseFilter = {
    ...(o.cases ? { casePrefixes: o.cases } : {}),
    ...(o.tags ? { tags: o.tags } : {}),
    ...(o.incident !== undefined ? { incident: o.incident } : {}),
  };
  return Object.keys(f).length > 0 ? { filter: f } : {};
}
