/**
 * Library loop over an OTLP file, run as its own process so its peak RSS can be measured:
 * `openSource([file]).traces()` + `buildTrace` for every trace, counting traces and spans.
 *
 *   node bench/otlp-loop.mjs <file>
 *
 * Prints one JSON line `{ traces, spans, feedback, ms }`.
 */
import { openSource } from '../dist/traces/sources/index.js';
import { buildTrace } from '../dist/traces/build.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/otlp-loop.mjs <file>\n');
  process.exit(2);
}
const t0 = performance.now();
let traces = 0;
let spans = 0;
let feedback = 0;
for await (const raw of openSource([file]).traces()) {
  const trace = buildTrace(raw);
  traces++;
  spans += trace.spans.length;
  feedback += trace.feedback.length;
}
process.stdout.write(`${JSON.stringify({ traces, spans, feedback, ms: Math.round(performance.now() - t0) })}\n`);
