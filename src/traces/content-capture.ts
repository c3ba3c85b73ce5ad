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
 *  - OpenLIT: `capture_message_content=True` / `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`.
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
    match: (s) => hasKey(s, 'gen_ai.'),
    setting:
      'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true (OpenTelemetry GenAI instrumentations; the content is written to log records, so pass the logs file next to the spans)',
  },
];

/**
 * A warning when the trace has model calls and none of them recorded message content, naming
 * the setting to turn on; undefined when content is there or there is no model call.
 */
export function contentCaptureWarning(trace: Trace): string | undefined {
  const llms = stepsOf(trace, 'llm');
  // Messages borrowed from an application span (attach-prompt.ts) still mean the call's own span had none.
  if (llms.length === 0 || llms.some((s) => !s.step.contentMissing && s.step.contentFrom === undefined)) return undefined;
  const settings = [...new Set(llms.map((s) => SETTINGS.find((c) => c.match(s))?.setting).filter((x): x is string => x !== undefined))];
  const how = settings.length > 0 ? `turn content capture on: ${settings.join('; ')}` : 'turn message content capture on in the instrumentation';
  const borrowed = llms.every((s) => s.step.contentFrom !== undefined);
  const impact = borrowed
    ? 'the messages were taken from the application\'s own spans, which may differ from what was sent'
    : 'prompts and answers are missing, so the case cannot be replayed';
  return `trace ${trace.traceId}: ${llms.length} model call(s) recorded without message content (${impact}); ${how}`;
}
