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
import { contentCaptureWarning } from '../traces/content-capture.js';
import { loadOptionalConfig } from './shared.js';
import { renderDetails, traceHeader } from './render-trace.js';

export interface InspectOptions {
  trace?: string;
  format?: string;
  config?: string;
  full?: boolean;
  json?: boolean;
}

export async function inspectCommand(inputs: string[], opts: InspectOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { config } = await loadOptionalConfig(opts.config);
  const source = openSource(inputs, { ...(opts.format ? { format: opts.format } : {}) });
  const traces: Trace[] = [];
  for await (const raw of source.traces(opts.trace ? { traceIds: [opts.trace] } : {})) {
    traces.push(buildTrace(raw));
    // Without --trace only a listing is needed when there are many: keep the first few whole.
    if (!opts.trace && traces.length > 1000) break;
  }
  warnContentCapture(opts.trace && traces.length > 0 ? traces.slice(0, 1) : traces);
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

/** One stderr warning for the traces whose model calls carry no content (the first one's text, and how many). */
function warnContentCapture(traces: Trace[]): void {
  const warnings = traces.map(contentCaptureWarning).filter((w): w is string => w !== undefined);
  if (warnings.length === 0) return;
  const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more trace(s) like it)` : '';
  process.stderr.write(`evals: warning: ${warnings[0]}${more}\n`);
}
