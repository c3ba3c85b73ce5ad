/**
 * `evals run --otlp`: a finished run's evaluations sent to the endpoint, and one line saying
 * what happened. Loaded only when the flag is given (it pulls in the OpenTelemetry SDK).
 */
import type { ReportInput } from '../reporters/report-input.js';
import type { OtlpTarget } from './endpoint.js';
import { buildEvaluationEvents } from './evaluation-events.js';
import { exportEvaluationEvents } from './export-events.js';

export interface SendOutcome {
  /** What to print: `warning` always, `info` unless the run is quiet. */
  level: 'info' | 'warning';
  message: string;
}

/** Never throws: an export problem is reported, and the run's exit code stays the gate's. */
export async function sendRunEvaluations(input: ReportInput, target: OtlpTarget): Promise<SendOutcome> {
  const events = buildEvaluationEvents(input);
  if (events.length === 0) return { level: 'info', message: `OTLP: no evaluation to export to ${target.url}` };
  const linked = events.filter((e) => e.traceId !== undefined).length;
  let outcome;
  try {
    outcome = await exportEvaluationEvents(events, target.url, target.protocol);
  } catch (err) {
    outcome = { sent: 0, failed: events.length, error: (err as Error).message };
  }
  if (outcome.failed > 0) {
    return { level: 'warning', message: `OTLP export to ${target.url} (${target.from}): ${outcome.failed} of ${events.length} evaluation event(s) not delivered${outcome.error ? ` (${outcome.error})` : ''}; the exit code is the gate's` };
  }
  return { level: 'info', message: `OTLP: exported ${outcome.sent} evaluation event(s) to ${target.url}, ${linked} linked to their source trace` };
}
