/**
 * A trace with model calls but no message content cannot become a replayable case: the
 * instrumentation was told (or defaults) to record metadata only. `contentCaptureWarning` says
 * so and names the setting that turns content on for the instrumentation that wrote the spans.
 * Settings, as documented by each project:
 *  - OTel contrib (`@opentelemetry/instrumentation-openai`, Python `opentelemetry-instrumentation-*`):
 *    `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`; the content goes to log records,
 *    so the logs file must be read too;
 *  - OpenLLMetry / Traceloop: `TRACELOOP_TRACE_CONTENT=true` (or `traceContent: true`);
 *  - OpenInference: unset `OPENINFERENCE_HIDE_INPUTS` / `OPENINFERENCE_HIDE_OUTPUTS` /
 *    `OPENINFERENCE_HIDE_INPUT_MESSAGES` / `OPENINFERENCE_HIDE_OUTPUT_MESSAGES`;
 *  - the Anthropic SDK's own spans: `ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content`
 *    (or `openTelemetry.traces.contentMode: 'content'`);
 *  - Vercel AI SDK: `experimental_telemetry: { recordInputs: true, recordOutputs: true }`;
 *  - OpenLIT: `capture_message_content=True` / `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`;
 *  - Langfuse: pass `input` and `output` to the generation.
 * Failed calls are not counted: many libraries record no messages for a request that errored.
 * `snapshot` sums the gaps of every captured trace into one line per setting; `inspect` warns
 * per trace.
 */
import type { Span, Trace } from './model.js';
import { stepsOf } from './model.js';

interface CaptureSetting {
  /** Recognises a span written by this instrumentation. */
  match(span: Span): boolean;
  /** What to turn on. */
  setting: string;
}

const hasKey = (span: Span, prefix: string): boolean => Object.keys(span.attributes).some((k) => k.startsWith(prefix));

const SETTINGS: CaptureSetting[] = [
  {
    match: (s) => s.scope?.name === 'com.anthropic.sdk.typescript',
    setting: "ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content (Anthropic SDK; or openTelemetry.traces.contentMode: 'content')",
  },
  {
    match: (s) => hasKey(s, 'ai.') || /^ai\./.test(s.name),
    setting: 'experimental_telemetry: { recordInputs: true, recordOutputs: true } (Vercel AI SDK)',
  },
  {
    match: (s) => (s.scope?.name ?? '').startsWith('@traceloop/') || hasKey(s, 'traceloop.') || s.attributes['llm.request.type'] !== undefined,
    setting: 'TRACELOOP_TRACE_CONTENT=true (OpenLLMetry / Traceloop; or traceContent: true on the instrumentation)',
  },
  {
    match: (s) => s.attributes['openinference.span.kind'] !== undefined || s.attributes['llm.model_name'] !== undefined,
    setting: 'unset OPENINFERENCE_HIDE_INPUTS, OPENINFERENCE_HIDE_OUTPUTS, OPENINFERENCE_HIDE_INPUT_MESSAGES and OPENINFERENCE_HIDE_OUTPUT_MESSAGES (OpenInference)',
  },
  {
    match: (s) => /openlit/i.test(s.scope?.name ?? '') || s.attributes['gen_ai.application_name'] !== undefined,
    setting: 'capture_message_content=True / OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (OpenLIT)',
  },
  {
    match: (s) => s.conventions.includes('langfuse'),
    setting: 'pass input and output to the generation: generation.update({ input, output }) (Langfuse)',
  },
  {
    match: (s) => hasKey(s, 'gen_ai.'),
    setting:
      'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (OpenTelemetry GenAI instrumentations; the content is written to log records, so pass the logs file next to the spans)',
  },
];

/** Model calls without content in one trace, and what to switch on. */
export interface ContentCaptureGap {
  /** Successful model calls recorded with no message content of their own. */
  calls: number;
  /** The setting(s) to turn on, in the instrumentation's own words. */
  hint: string;
  /** Every such call took its messages from the application's own spans instead. */
  borrowed: boolean;
}

/** The gap in `trace`: its successful model calls with no content of their own; undefined when there are none. */
export function contentCaptureGap(trace: Trace): ContentCaptureGap | undefined {
  const llms = stepsOf(trace, 'llm').filter((s) => s.step.error === undefined && s.status.code !== 'error');
  const missing = llms.filter((s) => s.step.contentMissing === true || s.step.contentFrom !== undefined);
  if (missing.length === 0) return undefined;
  const settings = [...new Set(missing.map((s) => SETTINGS.find((c) => c.match(s))?.setting).filter((x): x is string => x !== undefined))];
  return { calls: missing.length, hint: settings.length > 0 ? settings.join('; ') : 'turn message content capture on in the instrumentation', borrowed: missing.every((s) => s.step.contentFrom !== undefined) };
}

/** One trace's warning (inspect): the gap in words, or undefined when there is none. */
export function contentCaptureWarning(trace: Trace): string | undefined {
  const gap = contentCaptureGap(trace);
  if (!gap) return undefined;
  const impact = gap.borrowed
    ? "the messages were taken from the application's own spans, which may differ from what was sent"
    : 'prompts and answers are missing, so the case cannot be replayed';
  return `trace ${trace.traceId}: ${gap.calls} model call(s) recorded without message content (${impact}); turn content capture on: ${gap.hint}`;
}
