/**
 * `evals inspect`: one trace as the pipeline it was: the tree with timings, retrieved
 * documents with scores, the rendered prompt, each model call, the parse step, tool calls
 * with arguments and results, and the diagnosis. With several traces and no `--trace`, lists
 * them (id, name, duration, status, feedback) so the user can pick one.
 */
import { diagnose, retrievalPopulation } from '../diagnose/diagnose.js';
import { buildTrace } from '../traces/build.js';
import type { Trace } from '../traces/model.js';
import type { EvalsConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { openSource } from '../traces/sources/index.js';
import { resolveInputs } from '../traces/sources/inputs.js';
import { contentCaptureWarning } from '../traces/content-capture.js';
import { loadOptionalConfig } from './shared.js';
import { readFeedbackFiles } from './feedback-files.js';
import { renderDetails, traceHeader } from './render-trace.js';

export interface InspectOptions {
  trace?: string;
  /** Feedback dumps joined to the traces (`--feedback`, repeatable). */
  feedback?: string[];
  format?: string;
  config?: string;
  full?: boolean;
  json?: boolean;
}

export async function inspectCommand(inputs: string[], opts: InspectOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { config } = await loadOptionalConfig(opts.config);
  const resolved = await resolveInputs(inputs);
  try {
    await show(resolved.files, opts, config, out);
  } finally {
    await resolved.cleanup();
  }
}

/** Listing stops after this many traces. */
const LIST_LIMIT = 1000;

async function show(inputs: string[], opts: InspectOptions, config: EvalsConfig, out: NodeJS.WritableStream): Promise<void> {
  const source = openSource(inputs, { ...(opts.format ? { format: opts.format } : {}) });
  const feedback = await readFeedbackFiles(opts.feedback ?? []);
  const traces: Trace[] = [];
  let more = false;
  for await (const raw of source.traces(opts.trace ? { traceIds: [opts.trace] } : {})) {
    // Without --trace only a listing is needed when there are many: keep the first ones whole.
    if (!opts.trace && traces.length >= LIST_LIMIT) {
      more = true;
      break;
    }
    traces.push(buildTrace(feedback.attach(raw)));
  }
  if (traces.length === 0) throw new InputError('no trace found in the input', { file: inputs.join(', '), expected: 'at least one trace', found: '0 traces' });
  warnContentCapture(opts.trace && traces.length > 0 ? traces.slice(0, 1) : traces);
  if (traces.length === 1 || (opts.trace && traces.length > 0)) {
    const trace = traces[0]!;
    const diagnosis = diagnose(trace, { ...config.snapshot.diagnose, retrieval: { ...config.snapshot.diagnose.retrieval, population: retrievalPopulation(traces) } });
    out.write(opts.json ? `${JSON.stringify({ trace, diagnosis }, null, 2)}\n` : `${renderDetails(trace, diagnosis, { full: opts.full ?? false })}\n`);
    return;
  }
  if (opts.json) {
    out.write(`${JSON.stringify(traces.map((t) => ({ traceId: t.traceId, name: t.name, status: t.status, durationMs: t.endTimeMs - t.startTimeMs, feedback: t.feedback })), null, 2)}\n`);
    return;
  }
  out.write(`${more ? `first ${traces.length} traces (more not listed)` : `${traces.length} traces`}; pick one with --trace <id>:\n`);
  for (const t of traces) out.write(`  ${traceHeader(t)}\n`);
}

/** One stderr warning for the traces whose model calls carry no content (the first one's text, and how many). */
function warnContentCapture(traces: Trace[]): void {
  const warnings = traces.map(contentCaptureWarning).filter((w): w is string => w !== undefined);
  if (warnings.length === 0) return;
  const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more trace(s) like it)` : '';
  process.stderr.write(`evals: warning: ${warnings[0]}${more}\n`);
}
