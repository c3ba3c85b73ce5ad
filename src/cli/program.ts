/**
 * The command-line program. Each command's options are declared here (cheap); its
 * implementation is imported only when the command runs. `createProgram(handlers)` takes the
 * handlers as a parameter so parsing can be tested with stubs.
 */
import { Command, Option } from 'commander';
import { TOOL_VERSION } from '../version.js';
import type { InitOptions } from './init.js';
import type { InspectOptions } from './inspect.js';
import type { CompareOptions, ReportOptions } from './compare.js';
import type { MergeOptions, RunOptions } from './run.js';
import type { SnapshotOptions } from './snapshot.js';

export interface Handlers {
  snapshot(inputs: string[], opts: SnapshotOptions): Promise<void>;
  run(opts: RunOptions): Promise<void>;
  inspect(source: string[], opts: InspectOptions): Promise<void>;
  merge(dirs: string[], opts: MergeOptions): Promise<void>;
  compare(baseline: string, candidate: string, opts: CompareOptions): Promise<void>;
  report(runDir: string, opts: ReportOptions): Promise<void>;
  fakeProvider(opts: { port: string; latency: string; rules?: string; batchDelay?: string }): Promise<void>;
  datasets(): Promise<Command>;
  init(opts: InitOptions): Promise<void>;
}

const defaultHandlers: Handlers = {
  snapshot: async (inputs, opts) => (await import('./snapshot.js')).snapshotCommand(inputs, opts),
  run: async (opts) => (await import('./run.js')).runCommand(opts),
  inspect: async (src, opts) => (await import('./inspect.js')).inspectCommand(src, opts),
  merge: async (dirs, opts) => (await import('./run.js')).mergeCommand(dirs, opts),
  compare: async (baseline, candidate, opts) => (await import('./compare.js')).compareCommand(baseline, candidate, opts),
  report: async (runDir, opts) => (await import('./compare.js')).reportCommand(runDir, opts),
  fakeProvider: async (opts) => (await import('./fake-provider.js')).fakeProviderCommand(opts),
  datasets: async () => (await import('./commands/datasets.js')).datasetsCommand(),
  init: async (opts) => (await import('./init.js')).initCommand(opts),
};

const collect = (value: string, prev: string[] = []): string[] => [...prev, value];

export function createProgram(handlers: Partial<Handlers> = {}): Command {
  const h: Handlers = { ...defaultHandlers, ...handlers };
  const program = new Command('evals')
    .version(TOOL_VERSION, '-v, --version')
    .description('Turn production LLM traces into regression suites: snapshot incidents into versioned datasets, re-run them with a new prompt or model, and review what changed.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
The three moments:
  1. incident → case   evals snapshot traces.jsonl --dataset refund-bot --flagged --incident INC-42
  2. CI                evals run                      (reads evals.config.yaml)
  3. review            open reports/<run-id>/report.html, or paste summary.md into the PR

Exit codes: 0 pass · 1 gate failed (a confirmed regression, an incident that does not hold,
  errors or unscored runs beyond the tolerance, or an inconclusive verdict) · 2 usage or input
  error · 3 run error, or nothing was evaluated
Docs: README.md (config reference, CI recipe, writing evaluators and pipelines)`,
    );

  program
    .command('snapshot')
    .description('Capture production traces as cases in a new version of a dataset (redacted, diagnosed, with provenance)')
    .argument('<inputs...>', 'trace files (OTLP JSON/JSONL, OTLP logs, Langfuse export, LangSmith runs) or URLs (langfuse://, langsmith://<project>, tempo+http://host:port)')
    .requiredOption('-d, --dataset <name>', 'dataset to add the cases to (created if missing)')
    .option('-t, --trace <id>', 'select a trace by id (repeatable)', collect)
    .option('--flagged', 'select traces flagged by users or rules (snapshot.flagged in config: low feedback, tags, errors, attributes)')
    .option('--all', 'select every trace')
    .option('--incident <id>', 'incident or ticket id to attach to the cases (they must never regress)')
    .option('--note <text>', 'free-form note kept in the version manifest')
    .option('--since <time>', 'only traces that started at or after this time (ISO date or a duration like 7d, 24h)')
    .option('--until <time>', 'only traces that started before this time')
    .option('--limit <n>', 'at most this many traces')
    .option('--format <format>', 'force the input format instead of sniffing it (otlp-json, otlp-logs, langfuse-export, langsmith-runs, …)')
    .option('--skip-invalid', 'skip malformed records and report how many were skipped (default: stop at the first)')
    .option('--no-redact', 'store content without redacting PII and secrets (explicit opt-in; redaction is on by default)')
    .option('--dry-run', 'show what would be captured without writing anything')
    .option('-c, --config <file>', 'config file (for snapshot.flagged, snapshot.redact, snapshot.diagnose)')
    .option('--root <dir>', 'datasets directory (default: $EVALS_DATASETS_DIR, else the config\'s datasetsDir, else datasets)')
    .option('--json', 'print the captured cases as JSON instead of the timeline')
    .option('--feedback <file>', 'feedback dump joined to the traces (repeatable): LangSmith listFeedback JSONL (by run or trace id) or Langfuse scores JSON (by trace id); the shape is sniffed', collect)
    .addHelpText(
      'after',
      `
Examples:
  evals snapshot traces.jsonl --dataset refund-bot --trace 4bf92f3577b34da6a3ce929d0e0e4736 --incident INC-42
  evals snapshot otel-export/*.jsonl --dataset refund-bot --flagged --since 7d
  evals snapshot langfuse:// --dataset support --flagged --limit 20
  evals snapshot runs.jsonl --feedback feedback.jsonl --dataset support --flagged`,
    )
    .action((inputs: string[], opts: SnapshotOptions) => h.snapshot(inputs, opts));

  program
    .command('run')
    .description('Re-run the suite on its datasets, score every output, compare with the baseline, write the reports')
    .option('-c, --config <file>', 'config file', undefined)
    .option('-d, --dataset <ref>', 'only this dataset (name, name@3, name@latest; repeatable)', collect)
    .option('--variant <name>', 'only this variant (repeatable)', collect)
    .option('--baseline <run>', "compare with another run (its directory or results.jsonl) instead of production's prompt and model replayed")
    .option('--baseline-variant <name>', "with --baseline: the baseline run's variant to compare every variant with (default: the same name, or its only variant)")
    .option('--concurrency <n>', 'cases in flight at once (default: run.concurrency, 8)')
    .option('--repeat <k>', 'run every case k times to tell flaky from regressed (default: run.repeat, 1)')
    .option('--max-cost <usd>', 'stop scheduling new cases once the spend reaches this many dollars')
    .option('--no-cache', 'ignore and do not write the response cache')
    .option('--batch', "send the replay calls through the providers' batch APIs (OpenAI Batch, Anthropic Message Batches): half price, answers within 24 h")
    .option('--batch-poll <seconds>', 'seconds between polls of a submitted batch (default: run.batchPollSeconds, 30)')
    .option('--no-judge-cache', "send model-graded evaluators' calls live: no judge verdict replayed from (or written to) the cache")
    .option('--resume <run-dir>', 'finish an interrupted run without re-calling completed cases')
    .option('--shard <i/n>', 'run only shard i of n (1-based), split deterministically by case id; combine with `evals merge`')
    .option('-o, --out <dir>', 'directory for run directories (default: run.outDir, reports)')
    .option('--run-id <id>', 'name of the run directory (default: time-based)')
    .addOption(new Option('--reporter <formats>', 'reports to write, comma-separated').default('html,md,junit,json'))
    .option('--quiet', 'no progress output')
    .option('--case <id-prefix>', 'only the cases whose id starts with this (repeatable)', collect)
    .option('--tag <tag>', 'only the cases carrying this tag (repeatable: any of them)', collect)
    .option('--incident [id]', 'only the cases tied to an incident (this one, when given)')
    .option('--failing <run-dir>', 'only the cases that failed or regressed in that run')
    .option('--limit <n>', 'at most n cases (after the other filters)')
    .option('--otlp [endpoint]', 'send each case × variant evaluation as OTel gen_ai.evaluation.result events to this OTLP/HTTP endpoint (default: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, http://localhost:4318), linked to the case\'s source trace')
    .addHelpText(
      'after',
      `
Examples:
  evals run                                   # evals.config.yaml in this directory
  evals run --failing reports/pr-123 --variant fixed-prompt   # iterate on what failed
  evals run --config ci.config.yaml --repeat 3
  evals run --shard 1/4 --run-id pr-123-1     # then: evals merge reports/pr-123-*
  evals run --resume reports/2026-11-27T10-00-00
  evals run --otlp http://localhost:4318       # results next to their traces (headers: OTEL_EXPORTER_OTLP_HEADERS)
  evals run --batch --run-id nightly          # half price via provider batch APIs; killed? --resume re-attaches

The baseline is production's own prompt and model, replayed (a variant named "production"),
plus the recorded output. A case that passes less often than the baseline is re-run on both
sides until the evidence decides (gate.confirm); only a confirmed drop is a regression.

Exit codes: 0 pass · 1 gate failed or inconclusive · 2 usage or input error · 3 run error or nothing evaluated
(an --otlp export that fails prints a warning and leaves the exit code as it is)`,
    )
    .action((opts: RunOptions) => h.run(opts));

  program
    .command('inspect')
    .description('Show one trace as a pipeline tree: timings, retrieved documents, rendered prompt, model calls, tools, diagnosis')
    .argument('<source...>', 'trace files or URL (as for snapshot)')
    .option('-t, --trace <id>', 'trace id (default: the only trace, or the list of traces when there are several)')
    .option('--format <format>', 'force the input format')
    .option('-c, --config <file>', 'config file (for snapshot.diagnose thresholds)')
    .option('--full', 'print full message and document texts instead of excerpts')
    .option('--feedback <file>', 'feedback dump joined to the traces (repeatable; as for snapshot)', collect)
    .option('--json', 'print the normalized trace as JSON')
    .addHelpText('after', `\nExample:\n  evals inspect traces.jsonl --trace 4bf92f3577b34da6a3ce929d0e0e4736`)
    .action((source: string[], opts: InspectOptions) => h.inspect(source, opts));

  program
    .command('merge')
    .description('Combine the run directories of shards into one run and report')
    .argument('<run-dirs...>', 'run directories written by `evals run --shard`')
    .requiredOption('-o, --out <dir>', 'directory for the merged run')
    .option('-c, --config <file>', 'config file (for the gate)')
    .option('--reporter <formats>', 'reports to write, comma-separated', 'html,md,junit,json')
    .option('--otlp [endpoint]', 'send the merged run\'s evaluations as OTel events, as `evals run --otlp` does')
    .action((dirs: string[], opts: MergeOptions) => h.merge(dirs, opts));

  program
    .command('compare')
    .description('Compare two finished runs case by case (no model calls) and write the candidate\'s reports and verdict')
    .argument('<baseline-run>', 'run directory (or results.jsonl) of the baseline, e.g. the main branch')
    .argument('<candidate-run>', 'run directory (or results.jsonl) of the candidate')
    .option('-c, --config <file>', 'config file (for the gate)')
    .option('--baseline-variant <name>', "the baseline run's variant to compare every variant with (default: the same name, or its only variant)")
    .option('-o, --out <dir>', 'where to write the reports (default: the candidate run directory)')
    .option('--reporter <formats>', 'reports to write, comma-separated', 'html,md,junit,json')
    .addHelpText('after', `\nExample:\n  evals compare reports/main-1234 reports/pr-88\n\nExit codes as for \`evals run\`.`)
    .action((baseline: string, candidate: string, opts: CompareOptions) => h.compare(baseline, candidate, opts));

  program
    .command('report')
    .description('Re-render every report of a run from its stored results, through the same comparison and gate')
    .argument('<run-dir>', 'run directory written by `evals run`')
    .option('-c, --config <file>', 'config file (for the gate)')
    .option('--reporter <formats>', 'reports to write, comma-separated', 'html,md,junit,json')
    .option('--otlp [endpoint]', 'also send the run\'s evaluations as OTel events, as `evals run --otlp` does')
    .addHelpText('after', `\nExample:\n  evals report reports/2026-11-27T10-00-00\n\nExit codes as for \`evals run\`.`)
    .action((runDir: string, opts: ReportOptions) => h.report(runDir, opts));

  program
    .command('fake-provider')
    .description('Start the local fake OpenAI/Anthropic-compatible server (offline demos and tests)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--latency <ms>', 'fixed latency per request', '0')
    .option('--rules <file>', 'JSON or YAML reply rules')
    .option('--batch-delay <ms>', 'time a batch (OpenAI Batch, Anthropic Message Batches) stays in progress', '0')
    .action((opts: { port: string; latency: string; rules?: string; batchDelay?: string }) => h.fakeProvider(opts));

  program
    .command('init')
    .description('Set up a project: a commented evals.config.yaml, an example evaluator, datasets/README.md and the GitHub workflows (never overwrites)')
    .option('-y, --yes', 'write without asking (required when standard input is not a terminal)')
    .option('-d, --dataset <name>', 'the dataset the config and workflows use (default: the directory name)')
    .option('--source <input>', 'the trace source to fill in (default: detected from LANGFUSE_*/LANGSMITH_* variables or an OTLP export such as otel/traces.jsonl)')
    .option('--dir <dir>', 'project directory (default: the working directory)')
    .addHelpText('after', `\nExample:\n  npx evals init --yes --dataset support --source langfuse://`)
    .action((opts: InitOptions) => h.init(opts));

  // `datasets` has many subcommands; its module is small and loaded when it runs.
  program
    .command('datasets')
    .description('List, show, diff, verify, curate, import and export datasets')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const cmd = await h.datasets();
      cmd.name('evals datasets').exitOverride();
      await cmd.parseAsync(args, { from: 'user' });
    });

  return program;
}
