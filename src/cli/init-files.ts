/**
 * What `evals init` writes, as pure functions of the answers: the commented config, an example
 * evaluator, `datasets/README.md` and the two GitHub workflows (the package's
 * examples/github files with the trace source and dataset filled in). init.ts does the I/O.
 */

/** Where the first cases come from, and why init chose it. */
export interface TraceSource {
  /** What `evals snapshot` takes: `langfuse://`, `langsmith://<project>`, a file or directory. */
  input: string;
  /** Why: `LANGFUSE_PUBLIC_KEY is set`, `found otel/traces.jsonl`, `--source`. */
  because: string;
}

export interface InitAnswers {
  dataset: string;
  /** Undefined: none found; the files say where to put one. */
  source?: TraceSource;
}

export interface InitFile {
  /** Relative to the project root. */
  path: string;
  text: string;
}

/** Files (or directories) checked, in order, for an OTLP/JSON export when no API source is configured. */
export const TRACE_FILE_CANDIDATES = ['otel/traces.jsonl', 'traces.jsonl', 'otel-export', 'otel'];

/**
 * The trace source the environment points at: `--source` first, then Langfuse keys, LangSmith
 * keys, then the first of {@link TRACE_FILE_CANDIDATES} that exists.
 */
export function detectSource(env: NodeJS.ProcessEnv, exists: (p: string) => boolean, explicit?: string): TraceSource | undefined {
  if (explicit) return { input: explicit, because: '--source' };
  if (env.LANGFUSE_PUBLIC_KEY && env.LANGFUSE_SECRET_KEY) return { input: 'langfuse://', because: 'LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are set' };
  if (env.LANGSMITH_API_KEY) {
    const project = env.LANGSMITH_PROJECT ?? 'default';
    return { input: `langsmith://${project}`, because: `LANGSMITH_API_KEY is set${env.LANGSMITH_PROJECT ? ', LANGSMITH_PROJECT names the project' : ''}` };
  }
  const file = TRACE_FILE_CANDIDATES.find(exists);
  return file ? { input: file, because: `found ${file}` } : undefined;
}

/** A dataset name from a directory name: lower-case letters, digits, `.`, `_`, `-`. */
export function datasetNameFrom(dirName: string): string {
  const name = dirName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[-._]+|[-._]+$/g, '');
  return name === '' ? 'main' : name;
}

/**
 * The config's JSON Schema as installed (package `files` ships `schemas/`), relative to the
 * project root where init writes the config: editors with the YAML language server complete and
 * check the file offline, at the version the project uses.
 */
export const CONFIG_SCHEMA_PATH = 'node_modules/@evals-dev/evals/schemas/config.schema.json';

export function configText(a: InitAnswers): string {
  const src = a.source?.input ?? 'otel/traces.jsonl';
  const where = a.source ? `# Trace source: ${src} (${a.source.because}).` : '# Trace source: none found. Export OTLP/JSON to otel/traces.jsonl, or use langfuse:// or langsmith://<project>.';
  return `# yaml-language-server: $schema=${CONFIG_SCHEMA_PATH}
# evals.config.yaml: the regression suite \`evals run\` replays (written by \`evals init\`).
# Every key and its default: README "Config reference" of @evals-dev/evals. Unknown keys are errors.
${where}
# First cases:  npx evals snapshot ${src} --dataset ${a.dataset} --flagged --since 7d
# First run:    npx evals run        (then open reports/<run-id>/report.html)

datasets: [${a.dataset}@latest]       # name@latest: every case; name@<hash> pins a version

providers:                           # replay sends each case to a provider of the API it was recorded with
  openai:
    type: openai                     # openai (Chat Completions, or any compatible URL) | openai-responses | anthropic
    apiKeyEnv: OPENAI_API_KEY        # the key stays in the environment
  # anthropic: { type: anthropic }   # for cases recorded over Anthropic Messages (ANTHROPIC_API_KEY)

variants:                            # what your pull request changes; the baseline is production, replayed
  - name: candidate
    # model: gpt-4o-mini
    # systemPromptFile: prompts/system.txt
    # params: { temperature: 0 }

evaluators:                          # every case, every variant; cases add their own expectations
  - type: not-contains
    value: "I cannot help with that"
  - type: example                    # evaluators/example.ts: write your own checks there

run:
  concurrency: 8
  maxCostUsd: 5                      # stop scheduling new cases once the spend reaches this

gate:
  maxRegressions: 0                  # confirmed regressions tolerated outside incident cases
  incidentsMustHold: true            # a case tied to an incident must pass, whatever production did

snapshot:
  flagged:                           # what --flagged selects
    feedback: { below: 0.5 }         # a user score under 0.5, or thumbs down / false
    error: false                     # true: also every trace with an errored span
`;
}

export function exampleEvaluatorText(): string {
  return `/**
 * An example evaluator (written by \`evals init\`): the config uses it as \`type: example\`.
 * The file name is the type. Return a score in 0..1, whether it passes, and why.
 */
import { defineEvaluator } from '@evals-dev/evals/evaluator';

export default defineEvaluator({
  name: 'example',
  evaluate({ actual }) {
    // actual: { output, toolCalls, finishReason, usage, latencyMs, costUsd, error }
    const text = actual.output ?? '';
    const ok = text.trim().length > 0;
    return { score: ok ? 1 : 0, pass: ok, reason: ok ? 'answered' : 'empty answer' };
  },
});
`;
}

export function datasetsReadmeText(a: InitAnswers): string {
  return `# datasets

Regression cases captured from production traces by \`evals snapshot\`, one directory per
dataset. Commit them: a pull request that adds cases shows one new file per case and one small
version file, and merges without conflict.

    npx evals snapshot ${a.source?.input ?? 'otel/traces.jsonl'} --dataset ${a.dataset} --flagged --since 7d
    npx evals snapshot <source> --dataset ${a.dataset} --trace <trace-id> --incident INC-123
    npx evals datasets list                # versions and case counts
    npx evals datasets verify              # every hash checked

Cases are redacted before they are written (e-mails, phones, cards, keys, tokens…);
\`npx evals datasets scan\` checks nothing is left.
`;
}

/** The harvest workflow with this project's trace source and dataset. */
export function harvestWorkflowText(template: string, a: InitAnswers): string {
  return template
    .replace(/^(\s*EVALS_SOURCE:).*$/m, `$1 ${yamlScalar(a.source?.input ?? 'otel/traces.jsonl')}`)
    .replace(/^(\s*EVALS_DATASET:).*$/m, `$1 ${yamlScalar(a.dataset)}`);
}

function yamlScalar(s: string): string {
  return /^[A-Za-z0-9._/:@+-]+$/.test(s) && !/^[-?:]/.test(s) ? s : JSON.stringify(s);
}

/** Every file init writes, in order. */
export function initFiles(a: InitAnswers, workflows: { pr: string; harvest: string }): InitFile[] {
  return [
    { path: 'evals.config.yaml', text: configText(a) },
    { path: 'evaluators/example.ts', text: exampleEvaluatorText() },
    { path: 'datasets/README.md', text: datasetsReadmeText(a) },
    { path: '.github/workflows/evals.yml', text: workflows.pr },
    { path: '.github/workflows/evals-harvest.yml', text: harvestWorkflowText(workflows.harvest, a) },
  ];
}
