/**
 * `evals inspect`: one trace as the pipeline it was: the tree with timings, retrieved
 * documents with scores, the rendered prompt, each model call, the parse step, tool calls
 * with arguments and results, and the diagnosis. With several traces and no `--trace`, lists
 * them (id, name, duration, status, feedback) so the user can pick one.
 */
import { diagnose } from '../datasets/diagnose.js';
import { buildTrace } from '../traces/build.js';
import type { Trace } from '../traces/model.js';
import { openSource } from '../traces/sources/index.js';
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
  const source = openSource(inputs, { ...(opts.format ? { format: opts.format } : {}) });
  const feedback = await readFeedbackFiles(opts.feedback ?? []);
  const traces: Trace[] = [];
  for await (const raw of source.traces(opts.trace ? { traceIds: [opts.trace] } : {})) {
    traces.push(buildTrace(feedback.attach(raw)));
    // Without --trace only a listing is needed when there are many: keep the first few whole.
    if (!opts.trace && traces.length > 1000) break;
  }
  if (traces.length === 1 || (opts.trace && traces.length > 0)) {
    const trace = traces[0]!;
    const diagnosis = diagnose(trace, config.snapshot.diagnose);
    out.write(opts.json ? `${JSON.stringify({ trace, diagnosis }, null, 2)}\n` : `${renderDetails(trace, diagnosis, { full: opts.full ?? false })}\n`);
    return;
  }
  if (opts.json) {
    out.write(`${JSON.stringify(traces.map((t) => ({ traceId: t.traceId, name: t.name, status: t.status, durationMs: t.endTimeMs - t.startTimeMs, feedback: t.feedback })), null, 2)}\n`);
    return;
  }
  out.write(`${traces.length} traces; pick one with --trace <id>:\n`);
  for (const t of traces) out.write(`  ${traceHeader(t)}\n`);
}
