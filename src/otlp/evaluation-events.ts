/**
 * A finished run as OpenTelemetry `gen_ai.evaluation.result` events (GenAI semantic
 * conventions), one list of plain values: no SDK here, so the mapping is tested without a
 * network and `export-events.ts` only has to emit what this returns.
 *
 * Per case × candidate variant (the rows every report shows):
 * - one event per evaluator, its scores aggregated over the variant's runs of the case
 *   (repeats and confirmation re-runs; runs that errored have no output to judge and are left
 *   out, so a case whose every run errored has only the verdict event): `gen_ai.evaluation.score.value` is the mean score,
 *   `…score.label` is `pass` when every scored run passed, else `fail` (`unscored` or
 *   `not_applicable` when no run was scored), `…explanation` the reason of the first failing run
 *   (else of the first run);
 * - one event named `evals.verdict`: the label is the case's verdict (`regressed`, `fixed`,
 *   `unchanged-pass`…), the value the candidate's pass rate, the explanation why it fails.
 * The sampled baseline (production replayed) is the yardstick, not a result: it is not exported.
 *
 * Each event is linked to the case's source trace: trace id from the case's provenance, span id
 * of the model call the case replays (the GenAI operation the evaluation is about), else of the
 * trace's root span. Ids that are not OTel-shaped (LangSmith's UUIDs) give no link; the
 * source's own id is always in `evals.case.trace_id`.
 */
import type { Case } from '../datasets/case.js';
import { failureReasons, type ReportRow } from '../reporters/case-rows.js';
import type { ReportInput } from '../reporters/report-input.js';
import { asView, type ReportView } from '../reporters/report-view.js';
import type { Score } from '../evaluators/evaluator.js';

/** The OTel event name (log record `EventName`). */
export const EVALUATION_EVENT = 'gen_ai.evaluation.result';
/** `gen_ai.evaluation.name` of the per case × variant verdict event. */
export const VERDICT_EVALUATION = 'evals.verdict';

export type AttributeValue = string | number | boolean;

export interface EvaluationEvent {
  /** 32 lowercase hex digits: the source trace the evaluation belongs to. */
  traceId?: string;
  /** 16 lowercase hex digits: the span in that trace (set only together with `traceId`). */
  spanId?: string;
  attributes: Record<string, AttributeValue>;
}

export function buildEvaluationEvents(input: ReportInput | ReportView): EvaluationEvent[] {
  return [...evaluationEvents(input)];
}

/** The same events one row at a time (a run's rows are loaded as they are reached). */
export function* evaluationEvents(input: ReportInput | ReportView): Generator<EvaluationEvent> {
  const view = asView(input);
  for (let i = 0; i < view.briefs.length; i++) {
    if (view.briefs[i]!.runs === 0) continue; // `missing`: nothing was evaluated
    const row = view.row(i, 'full');
    const events: EvaluationEvent[] = [];
    const link = linkOf(row.case);
    const common: Record<string, AttributeValue> = {
      'evals.run.id': view.run.id,
      'evals.dataset': row.dataset,
      'evals.case.id': row.caseId,
      'evals.variant': row.variant,
      'evals.verdict': row.verdict,
      ...(row.case ? { 'evals.case.trace_id': row.case.provenance.traceId } : {}),
      ...(row.case?.labels.incident ? { 'evals.incident': row.case.labels.incident } : {}),
    };
    // A run with an error has no output to judge: its scores say nothing, the verdict says why.
    const judged = row.results.filter((r) => !r.error);
    for (const name of [...new Set(judged.flatMap((r) => r.scores.map((s) => s.name)))]) {
      events.push({ ...link, attributes: { ...common, ...scoreAttributes(name, judged.flatMap((r) => r.scores.filter((s) => s.name === name))) } });
    }
    events.push({ ...link, attributes: { ...common, ...verdictAttributes(row) } });
    yield* events;
  }
}

function scoreAttributes(name: string, scores: Score[]): Record<string, AttributeValue> {
  const scored = scores.filter((s) => s.state === undefined);
  const passed = scored.filter((s) => s.pass).length;
  const explained = scored.find((s) => !s.pass) ?? scored[0] ?? scores[0];
  const base: Record<string, AttributeValue> = {
    'gen_ai.evaluation.name': name,
    ...(explained?.reason ? { 'gen_ai.evaluation.explanation': explained.reason } : {}),
    'evals.runs': scored.length,
    'evals.runs.passed': passed,
  };
  if (scored.length === 0) {
    const unscored = scores.some((s) => s.state === 'unscored');
    return { ...base, 'gen_ai.evaluation.score.label': unscored ? 'unscored' : 'not_applicable', ...(unscored ? { 'error.type': 'unscored' } : {}) };
  }
  const mean = scored.reduce((sum, s) => sum + s.score, 0) / scored.length;
  return { ...base, 'gen_ai.evaluation.score.value': mean, 'gen_ai.evaluation.score.label': passed === scored.length ? 'pass' : 'fail' };
}

function verdictAttributes(row: ReportRow): Record<string, AttributeValue> {
  const runs = row.results.length;
  const passed = row.results.filter((r) => r.pass).length;
  const reasons = failureReasons(row);
  const errored = row.results.every((r) => r.error) ? row.results[0]?.error : undefined;
  return {
    'gen_ai.evaluation.name': VERDICT_EVALUATION,
    'gen_ai.evaluation.score.value': row.comparison?.candidatePassRate ?? passed / runs,
    'gen_ai.evaluation.score.label': row.verdict,
    'gen_ai.evaluation.explanation': reasons.length > 0 ? reasons.join('\n') : `${passed} of ${runs} run(s) passed`,
    'evals.runs': runs,
    'evals.runs.passed': passed,
    ...(errored ? { 'error.type': errored.type ?? errored.source ?? 'error' } : {}),
  };
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** The source trace and span, when both are OTel-shaped (and not the all-zero invalid ids). */
export function linkOf(c: Case | undefined): { traceId?: string; spanId?: string } {
  if (!c) return {};
  const traceId = c.provenance.traceId.toLowerCase();
  if (!TRACE_ID.test(traceId) || /^0+$/.test(traceId)) return {};
  const steps = c.context.steps;
  // A call borrowed from another trace (`callFrom`) is not a span of this one.
  const candidates = [c.input.callFrom === undefined ? c.input.llmSpanId : undefined, steps.find((s) => s.parentSpanId === undefined)?.spanId, steps[0]?.spanId];
  for (const id of candidates) {
    const spanId = id?.toLowerCase();
    if (spanId && SPAN_ID.test(spanId) && !/^0+$/.test(spanId)) return { traceId, spanId };
  }
  return {};
}
