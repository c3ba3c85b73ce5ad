/**
 * `evals snapshot`: reads traces, selects them (ids, flagged, all), diagnoses each, prints its
 * timeline, and writes the selected ones as cases in a new immutable dataset version
 * (redacted before anything touches disk).
 */
import type { Case } from '../datasets/case.js';
import { addToPopulation, diagnose, emptyPopulation } from '../diagnose/diagnose.js';
import { borrowMissingCalls } from '../datasets/exchange/borrow-call.js';
import { caseFromTrace } from '../datasets/exchange/from-trace.js';
import { loadDatasetIfExists } from '../datasets/storage/dataset-io.js';
import { readVersion } from '../datasets/storage/dataset-read.js';
import { writeVersion } from '../datasets/storage/write-version.js';
import type { FlagConfig } from '../config/schema.js';
import type { EvalsConfig } from '../config/schema.js';
import { InputError, UsageError } from '../errors.js';
import { scrubText } from '../secrets/scrub.js';
import { resolveInputs } from '../traces/sources/inputs.js';
import { buildTrace } from '../traces/build.js';
import type { Trace } from '../traces/model.js';
import { openSource } from '../traces/sources/index.js';
import { repositoryRoot } from './repo-root.js';
import type { TraceQuery } from '../traces/sources/source.js';
import { flagReasons, parseTimeBound } from '../traces/select.js';
import { TOOL_VERSION } from '../version.js';
import { datasetsRoot, loadOptionalConfig, parseCount } from './shared.js';
import { renderTimeline } from './render-trace.js';
import { feedbackSummary, readFeedbackFiles } from './feedback-files.js';
import type { FeedbackJoin } from '../traces/feedback-join.js';
import { contentCaptureGap } from '../traces/content-capture.js';

export interface SnapshotOptions {
  dataset: string;
  trace?: string[];
  flagged?: boolean;
  all?: boolean;
  incident?: string;
  note?: string;
  since?: string;
  until?: string;
  limit?: string;
  format?: string;
  skipInvalid?: boolean;
  /** commander's `--no-redact` sets this false. */
  redact?: boolean;
  dryRun?: boolean;
  config?: string;
  root?: string;
  json?: boolean;
  /** Feedback dumps joined to the traces (`--feedback`, repeatable). */
  feedback?: string[];
}

export async function snapshotCommand(inputs: string[], opts: SnapshotOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const modes = [opts.trace?.length ? '--trace' : '', opts.flagged ? '--flagged' : '', opts.all ? '--all' : ''].filter(Boolean);
  if (modes.length !== 1) {
    throw new UsageError('choose which traces to capture', {
      expected: 'exactly one of --trace <id>, --flagged, --all',
      found: modes.length ? modes.join(' and ') : 'none',
    });
  }
  const { config, dir } = await loadOptionalConfig(opts.config);
  const root = datasetsRoot(opts.root, config.datasetsDir, dir);
  const limit = opts.limit !== undefined ? parseCount(opts.limit, '--limit') : undefined;
  const query: TraceQuery = { skipInvalid: opts.skipInvalid ?? false };
  if (opts.trace?.length) query.traceIds = opts.trace;
  if (opts.since) query.since = new Date(parseTimeBound(opts.since, Date.now(), '--since'));
  if (opts.until) query.until = new Date(parseTimeBound(opts.until, Date.now(), '--until'));
  // With --flagged the limit counts flagged traces, so the source must not stop early.
  if (limit !== undefined && !opts.flagged) query.limit = limit;
  const feedbackFiles = opts.feedback ?? [];
  const feedback = await readFeedbackFiles(feedbackFiles);
  // Feedback from dumps can flag any trace, so the source must not pre-filter by its own scores.
  if (opts.flagged && feedbackFiles.length === 0) {
    const pushed = feedbackPushDown(config.snapshot.flagged);
    if (pushed) query.feedbackBelow = pushed;
  }

  const resolved = await resolveInputs(inputs);
  try {
    await capture(resolved.files, opts, config, root, query, limit, out, { feedback, files: feedbackFiles.length });
  } finally {
    await resolved.cleanup();
  }
}

async function capture(inputs: string[], opts: SnapshotOptions, config: EvalsConfig, root: string, query: TraceQuery, limit: number | undefined, out: NodeJS.WritableStream, fb: { feedback: FeedbackJoin; files: number }): Promise<void> {
  const source = openSource(inputs, { ...(opts.format ? { format: opts.format } : {}) });
  const incident = opts.incident !== undefined ? scrubText(opts.incident, { pii: true }) : undefined;
  const cases: Array<Omit<Case, 'id'>> = [];
  const withoutModelCall: string[] = [];
  const capturedAt = new Date().toISOString();
  const locationBase = repositoryRoot();
  let seen = 0;
  // Diagnosis waits for the whole input: retrieval relevance is judged against every trace read.
  const population = emptyPopulation();
  const picked: Array<{ trace: Trace; reasons: string[] }> = [];
  for await (const raw of source.traces(query)) {
    seen++;
    const trace = buildTrace(fb.feedback.attach(raw));
    addToPopulation(population, trace);
    const reasons = opts.trace?.length ? ['trace-id'] : opts.flagged ? flagReasons(trace, config.snapshot.flagged) : ['all'];
    if (reasons.length === 0) continue;
    picked.push({ trace, reasons });
    if (limit !== undefined && picked.length >= limit) break;
  }
  /** Model calls without messages in the captured traces, by the setting that would record them. */
  const gaps = new Map<string, { calls: number; traces: number }>();
  const diagnoseOptions = { ...config.snapshot.diagnose, retrieval: { ...config.snapshot.diagnose.retrieval, population } };
  for (const { trace, reasons } of picked) {
    const diagnosis = diagnose(trace, diagnoseOptions);
    const gap = contentCaptureGap(trace);
    if (gap) {
      const g = gaps.get(gap.hint) ?? { calls: 0, traces: 0 };
      gaps.set(gap.hint, { calls: g.calls + gap.calls, traces: g.traces + 1 });
    }
    const c = caseFromTrace(trace, {
      capturedAt,
      toolVersion: TOOL_VERSION,
      flaggedBecause: reasons,
      locationBase,
      labels: { diagnosis },
      ...(incident !== undefined ? { incident } : {}),
    });
    // A case with no messages cannot be replayed: never stored silently. A trace with no GenAI
    // step at all (a health check, another service) is not captured; one whose model call is
    // missing (a failed call the instrumentation dropped, content capture off) is kept for
    // module/http pipelines, with a warning.
    if (c.input.messages.length === 0 && trace.spans.every((s) => s.step === undefined)) {
      withoutModelCall.push(trace.traceId);
      process.stderr.write(`evals: warning: trace ${trace.traceId} has no GenAI spans (no model call, prompt, retrieval or tool step recognised); not captured\n`);
      continue;
    }
    if (c.input.messages.length === 0 && gap === undefined) {
      process.stderr.write(`evals: warning: trace ${trace.traceId} has no model call with messages (failed before the call, or content capture off); captured, but replay will skip it\n`);
    }
    cases.push(c);
    if (!opts.json) out.write(`${renderTimeline(trace, diagnosis)}\n  selected because: ${reasons.join(', ')}\n\n`);
  }
  for (const [hint, g] of gaps) {
    process.stderr.write(`evals: warning: ${g.calls} model call(s) in ${g.traces} captured trace(s) were recorded without messages ` +
      `(content capture was off), so their cases have nothing to replay. To record them: ${hint}\n`);
  }
  const fbLine = feedbackSummary(fb.feedback, fb.files);
  if (fbLine !== '') process.stderr.write(`evals: ${fbLine}\n`);
  const stats = source.stats;
  const skipped = stats.skipped > 0 ? `; skipped ${stats.skipped} malformed record(s)${stats.skipReasons[0] ? `, first: ${stats.skipReasons[0]}` : ''}` : '';
  if (cases.length === 0) {
    if (seen === 0 && !query.since && !query.until) throw new InputError('no trace found in the input', { file: inputs.join(', '), expected: 'at least one trace', found: `0 traces${skipped}` });
    if (withoutModelCall.length > 0) {
      throw new InputError('no trace with a model call to capture', {
        file: inputs.join(', '),
        expected: 'traces with GenAI spans (gen_ai.*, OpenLLMetry, OpenInference, Langfuse generations, LangSmith llm runs) holding the messages',
        found: `${withoutModelCall.length} trace(s) without one`,
        hint: 'check that content capture is on in the instrumentation (e.g. OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true)',
      });
    }
    process.stderr.write(`evals: no trace selected (read ${seen} trace(s)${skipped}); nothing written\n`);
    return;
  }
  cases.splice(0, cases.length, ...borrowMissingCalls(cases));
  if (opts.json) out.write(`${JSON.stringify(cases, null, 2)}\n`);
  if (opts.dryRun) {
    out.write(`dry run: ${cases.length} case(s) would be added to ${opts.dataset}${skipped}\n`);
    return;
  }
  const plan = await planAgainstLatest(root, opts.dataset, cases, incident);
  const redactOptions = opts.redact === false ? (false as const) : { patterns: config.snapshot.redact.patterns.map((p) => ({ kind: p.name, pattern: p.regex })), fields: config.snapshot.redact.fields };
  const result = await writeVersion(root, opts.dataset, {
    add: plan.add,
    replace: plan.replace,
    provenance: {
      source: 'snapshot',
      ...(incident !== undefined ? { incident: incident } : {}),
      ...(opts.note !== undefined ? { note: opts.note } : {}),
    },
    redact: redactOptions,
  });
  const redacted = Object.entries(result.redaction)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const present = result.alreadyPresent.length + plan.unchanged;
  const parents = result.parents.length ? result.parents.join(' + ') : 'none';
  const line = result.created
    ? `${opts.dataset}@${result.version}: +${result.added.length - plan.replace.length} case(s)${plan.replace.length ? `, ${plan.replace.length} tied to incident ${incident}` : ''}${present ? `, ${present} already present` : ''} (parent ${parents})`
    : `${opts.dataset}@${result.version}: nothing new (${present} case(s) already present)`;
  const redaction = opts.redact === false ? 'redaction OFF (--no-redact)' : redacted ? `redacted: ${redacted}` : 'redacted: nothing found';
  out.write(`${line}; ${redaction}${skipped}\n`);
}

/**
 * Matches new cases with the latest version by trace id: a trace already captured is not added
 * twice, even when its content differs (a newer redaction rule, another instrumentation
 * version); when the snapshot ties it to an incident it did not have, the stored case (with
 * any curation a person made) is replaced by a copy carrying the incident id.
 */
async function planAgainstLatest(
  root: string,
  name: string,
  cases: Array<Omit<Case, 'id'>>,
  incident: string | undefined,
): Promise<{ add: Array<Omit<Case, 'id'>>; replace: Array<{ old: string; with: Omit<Case, 'id'> }>; unchanged: number }> {
  const existing = await loadDatasetIfExists(root, name);
  if (!existing || existing.nodes.size === 0) return { add: cases, replace: [], unchanged: 0 };
  const latest = await readVersion(root, name, 'latest');
  const byTrace = new Map(latest.cases.map((c) => [c.provenance.traceId, c]));
  const add: Array<Omit<Case, 'id'>> = [];
  const replace: Array<{ old: string; with: Omit<Case, 'id'> }> = [];
  let unchanged = 0;
  for (const c of cases) {
    const old = byTrace.get(c.provenance.traceId);
    if (!old) add.push(c);
    else if (incident !== undefined && old.labels.incident !== incident) {
      const { id: _id, ...rest } = old;
      replace.push({ old: old.id, with: { ...rest, labels: { ...old.labels, incident, flaggedBecause: [...new Set([...old.labels.flaggedBecause, ...c.labels.flaggedBecause])] } } });
    } else unchanged++;
  }
  return { add, replace, unchanged };
}

/**
 * When negative feedback is the only flag rule, sources that can filter by score on their side
 * (the Langfuse API) need not list every trace. Any other rule (tags, errors, attributes) needs
 * every trace, so nothing is pushed down then.
 */
function feedbackPushDown(rules: FlagConfig): TraceQuery['feedbackBelow'] {
  if (rules.feedback === false || rules.tags?.length || rules.error || rules.attributes?.length) return undefined;
  const fb = rules.feedback ?? {};
  return { value: fb.below ?? 0.5, ...(fb.names?.length ? { names: fb.names } : {}) };
}
