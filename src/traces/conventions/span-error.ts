/**
 * The error of a span, from whichever place the instrumentation put it: OTel status ERROR
 * (message), `exception` events (`exception.type` / `exception.message`), the `error.type`
 * attribute, or Langfuse `langfuse.observation.level` = ERROR with `…status_message`
 * (Langfuse leaves the OTel status UNSET). An explicit OK status wins over exception events and
 * `error.type`, but not over Langfuse's level, which is the only error signal Langfuse writes.
 */
import type { RawSpan, StepError } from '../model.js';
import { str } from './attrs.js';

/** The span's error, or undefined when nothing says it failed. */
export function spanError(span: RawSpan): StepError | undefined {
  const a = span.attributes;
  const exception = span.events.find((e) => e.name === 'exception');
  const exType = exception ? str(exception.attributes, 'exception.type') : undefined;
  const exMessage = exception ? str(exception.attributes, 'exception.message') : undefined;
  const errorType = str(a, 'error.type');
  const langfuseError = str(a, 'langfuse.observation.level')?.toUpperCase() === 'ERROR';
  // An explicit OK status means a recorded exception was handled (e.g. a retried request).
  const explicitOk = span.status.code === 'ok';
  const failed =
    span.status.code === 'error' || (!explicitOk && (exception !== undefined || errorType !== undefined)) || langfuseError;
  if (!failed) return undefined;
  const type = exType ?? errorType;
  const message =
    exMessage ?? span.status.message ?? str(a, 'langfuse.observation.status_message') ?? type ?? 'error';
  return { ...(type !== undefined ? { type } : {}), message };
}
