/**
 * `evals run --otlp`: a finished run's evaluations sent to the endpoint, and one line saying
 * what happened. Loaded only when the flag is given (it pulls in the OpenTelemetry SDK).
 */
import type { ReportInput } from '../reporters/report-input.js';
import { asView, type ReportView } from '../reporters/report-view.js';
import type { OtlpTarget } from './endpoint.js';
import { evaluationEvents, type EvaluationEvent } from './evaluation-events.js';
import { exportEvaluationEvents } from './export-events.js';

export interface SendOutcome {
  /** What to print: `warning` always, `info` unless the run is quiet. */
  level: 'info' | 'warning';
  message: string;
}

/** Never throws: an export problem is reported, and the run's exit code stays the gate's. */
export async function sendRunEvaluations(input: ReportInput | ReportView, target: OtlpTarget): Promise<SendOutcome> {
  // Events are made while they are sent (one row loaded at a time), and counted on the way.
  const view = asView(input);
  if (!view.briefs.some((b) => b.runs > 0)) return { level: 'info', message: `OTLP: no evaluation to export to ${target.url}` };
  let total = 0;
  let linked = 0;
  const counted = function* (): Generator<EvaluationEvent> {
    for (const e of evaluationEvents(view)) {
      total++;
      if (e.traceId !== undefined) linked++;
      yield e;
    }
  };
  let outcome;
  try {
    outcome = await exportEvaluationEvents(counted(), target.url, target.protocol);
  } catch (err) {
    outcome = { sent: 0, failed: Math.max(total, 1), error: (err as Error).message };
  }
  if (outcome.failed > 0) {
    return { level: 'warning', message: `OTLP export to ${target.url} (${target.from}): ${outcome.failed} of ${total} evaluation event(s) not delivered${outcome.error ? ` (${outcome.error})` : ''}; the exit code is the gate's` };
  }
  return { level: 'info', message: `OTLP: exported ${outcome.sent} evaluation event(s) to ${target.url}, ${linked} linked to their source trace` };
}
