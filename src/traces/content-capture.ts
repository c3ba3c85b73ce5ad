/**
 * Model calls recorded without their messages: the instrumentation's content capture was off
 * (or, for the 1.28–1.36 OTel GenAI flavour, the messages sit in a logs file that was not
 * passed). Says which setting turns it on, per instrumentation, so a user whose cases cannot
 * be replayed knows what to change. Failed calls are not counted: many libraries record no
 * messages for a request that errored. Pure.
 */
import { stepsOf, type Trace } from './model.js';

/** Model calls without content in one trace and what to switch on. */
export interface ContentCaptureGap {
  /** Model calls (LLM steps) with neither input nor output messages. */
  calls: number;
  /** The setting to turn on, in the instrumentation's own words. */
  hint: string;
}

const HINTS = {
  vercel: 'Vercel AI SDK: keep experimental_telemetry.recordInputs and recordOutputs true (the default)',
  traceloop: 'OpenLLMetry: set TRACELOOP_TRACE_CONTENT=true (or traceContent: true on the instrumentation)',
  openinference: 'OpenInference: unset OPENINFERENCE_HIDE_INPUTS, OPENINFERENCE_HIDE_OUTPUTS and OPENINFERENCE_HIDE_INPUT_MESSAGES / _OUTPUT_MESSAGES',
  langfuse: 'Langfuse: pass input and output to the generation (generation.update({ input, output }))',
  genAi: 'set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true; with OTel GenAI 1.28–1.36 instrumentations the messages are log records: export logs too and pass the logs file',
} as const;

/** The gap in `trace`, or undefined when every successful model call has content. */
export function contentCaptureGap(trace: Trace): ContentCaptureGap | undefined {
  const missing = stepsOf(trace, 'llm').filter((s) => s.step.contentMissing === true && s.step.error === undefined && s.status.code !== 'error');
  const first = missing[0];
  if (first === undefined) return undefined;
  const scope = first.scope?.name ?? '';
  const keys = Object.keys(first.attributes);
  const hint = first.conventions.includes('vercel_ai') ? HINTS.vercel
    : first.conventions.includes('openllmetry') || scope.includes('traceloop') || keys.some((k) => k.startsWith('traceloop.')) ? HINTS.traceloop
      : first.conventions.includes('openinference') ? HINTS.openinference
        : first.conventions.includes('langfuse') ? HINTS.langfuse
          : HINTS.genAi;
  return { calls: missing.length, hint };
}
