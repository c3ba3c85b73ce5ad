/**
 * The pure half of `evals run --otlp`: a run's rows as `gen_ai.evaluation.result` events
 * (aggregation over repeats, unscored and not-applicable scores, errored runs, links to the
 * source span), and where the endpoint comes from.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import type { Score } from '../../src/evaluators/evaluator.js';
import { resolveOtlpTarget } from '../../src/otlp/endpoint.js';
import { buildEvaluationEvents, linkOf } from '../../src/otlp/evaluation-events.js';
import type { ReportInput } from '../../src/reporters/report-input.js';
import type { CaseResult } from '../../src/runner/result.js';
import type { RunRecord } from '../../src/runner/run-record.js';
import { makeCase } from './evaluators-helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = '00f067aa0ba902b7';
const CALL = 'b7ad6b7169203331';

function tracedCase(over: Partial<Case> = {}): Case {
  return makeCase({
    id: 'c_1',
    input: { messages: [{ role: 'user', content: 'q' }], llmSpanId: CALL },
    context: { steps: [{ spanId: ROOT, name: 'agent', offsetMs: 0, durationMs: 5, status: 'ok' }, { spanId: CALL, parentSpanId: ROOT, name: 'chat', offsetMs: 1, durationMs: 3, status: 'ok' }] },
    provenance: { source: 'otlp-json', traceId: TRACE.toUpperCase(), capturedAt: '2026-01-01T00:00:00Z', toolVersion: '0' },
    ...over,
  });
}

function result(repeat: number, scores: Score[], over: Partial<CaseResult> = {}): CaseResult {
  return { caseId: 'c_1', variant: 'v', repeat, dataset: 'd', output: 'x', latencyMs: 1, scores, pass: scores.every((s) => s.pass), startedAt: '2026-01-01T00:00:00Z', ...over };
}

function input(results: CaseResult[], c: Case = tracedCase()): ReportInput {
  const run = { schema: 'evals.run/v1', id: 'run-1', startedAt: '', status: 'completed', toolVersion: '0', config: { file: 'c', hash: 'h' }, datasets: [{ name: 'd', version: 'a', hash: 'h', cases: 1 }], variants: [{ name: 'v', pipeline: 'replay' }], repeat: 1, counts: { total: 1, completed: 1, errored: 0, cached: 0 }, costUsd: 0 } satisfies RunRecord;
  return { run, results, cases: new Map([[c.id, c]]) };
}

const s = (name: string, score: number, pass: boolean, reason = `${name} ${score}`, state?: Score['state']): Score => ({ name, score, pass, reason, ...(state ? { state } : {}) });

describe('buildEvaluationEvents', () => {
  it('aggregates each evaluator over the repeats and adds the verdict, on the replayed call span', () => {
    const events = buildEvaluationEvents(input([result(0, [s('contains', 1, true), s('judge', 0.8, true)]), result(1, [s('contains', 0, false, 'missing "refund"'), s('judge', 0.6, true)])]));
    expect(events.map((e) => e.attributes['gen_ai.evaluation.name'])).toEqual(['contains', 'judge', 'evals.verdict']);
    expect(events.every((e) => e.traceId === TRACE && e.spanId === CALL)).toBe(true);
    const [contains, judge, verdict] = events.map((e) => e.attributes);
    expect(contains).toMatchObject({ 'gen_ai.evaluation.score.value': 0.5, 'gen_ai.evaluation.score.label': 'fail', 'gen_ai.evaluation.explanation': 'missing "refund"', 'evals.runs': 2, 'evals.runs.passed': 1 });
    expect(judge).toMatchObject({ 'gen_ai.evaluation.score.label': 'pass', 'gen_ai.evaluation.explanation': 'judge 0.8' });
    expect(judge!['gen_ai.evaluation.score.value']).toBeCloseTo(0.7);
    expect(verdict).toMatchObject({ 'gen_ai.evaluation.score.value': 0.5, 'gen_ai.evaluation.score.label': 'new', 'evals.verdict': 'new', 'evals.runs': 2, 'evals.runs.passed': 1 });
    expect(verdict).toMatchObject({ 'evals.run.id': 'run-1', 'evals.dataset': 'd', 'evals.case.id': 'c_1', 'evals.variant': 'v', 'evals.case.trace_id': TRACE.toUpperCase() });
  });

  it('unscored and not-applicable scores carry a label but no value; errored runs only a verdict', () => {
    const unscored = buildEvaluationEvents(input([result(0, [s('judge', 0, false, 'judge timed out', 'unscored'), s('similarity', 0, true, 'graded against itself', 'not_applicable')])]));
    expect(unscored[0]!.attributes).toMatchObject({ 'gen_ai.evaluation.score.label': 'unscored', 'error.type': 'unscored', 'evals.runs': 0 });
    expect(unscored[0]!.attributes['gen_ai.evaluation.score.value']).toBeUndefined();
    expect(unscored[1]!.attributes).toMatchObject({ 'gen_ai.evaluation.score.label': 'not_applicable' });
    expect(unscored[1]!.attributes['error.type']).toBeUndefined();

    const errored = buildEvaluationEvents(input([result(0, [s('contains', 0, false)], { output: null, pass: false, error: { type: 'provider_error', message: 'HTTP 500', source: 'provider' } })]));
    expect(errored).toHaveLength(1);
    expect(errored[0]!.attributes).toMatchObject({ 'gen_ai.evaluation.name': 'evals.verdict', 'gen_ai.evaluation.score.label': 'errored', 'error.type': 'provider_error' });
  });

  it('links to the root span without a replayed call, and not at all for ids that are not OTel-shaped', () => {
    expect(linkOf(tracedCase({ input: { messages: [] } }))).toEqual({ traceId: TRACE, spanId: ROOT });
    // A call borrowed from another trace is not a span of this one.
    expect(linkOf(tracedCase({ input: { messages: [], llmSpanId: CALL, callFrom: 'other' } }))).toEqual({ traceId: TRACE, spanId: ROOT });
    const langsmith = tracedCase({ provenance: { source: 'langsmith-runs', traceId: '1f0a5f1e-3c5d-4a7e-9b1e-2d3c4b5a6f70', capturedAt: '', toolVersion: '0' } });
    expect(linkOf(langsmith)).toEqual({});
    const events = buildEvaluationEvents(input([result(0, [s('contains', 1, true)])], langsmith));
    expect(events[0]!.traceId).toBeUndefined();
    expect(events[0]!.attributes['evals.case.trace_id']).toBe('1f0a5f1e-3c5d-4a7e-9b1e-2d3c4b5a6f70');
    expect(linkOf(tracedCase({ context: { steps: [{ spanId: 'run-uuid', name: 'x', offsetMs: 0, durationMs: 1, status: 'ok' }] }, input: { messages: [] } }))).toEqual({});
  });

  it('leaves out the sampled baseline', () => {
    expect(buildEvaluationEvents(input([result(0, [s('contains', 1, true)], { role: 'baseline', variant: 'production' })]))).toEqual([]);
  });
});

describe('resolveOtlpTarget', () => {
  it('appends /v1/logs to a base URL, once', () => {
    expect(resolveOtlpTarget('http://127.0.0.1:4318', {}).url).toBe('http://127.0.0.1:4318/v1/logs');
    expect(resolveOtlpTarget('https://otel.example.com/otlp/', {}).url).toBe('https://otel.example.com/otlp/v1/logs');
    expect(resolveOtlpTarget('http://c:4318/v1/logs', {}).url).toBe('http://c:4318/v1/logs');
  });

  it('a bare --otlp follows the OTel variables, then the default', () => {
    expect(resolveOtlpTarget(true, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:1/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:2' })).toEqual({ url: 'http://logs:1/custom', from: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', protocol: 'http/protobuf' });
    expect(resolveOtlpTarget(true, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:2' })).toEqual({ url: 'http://base:2/v1/logs', from: 'OTEL_EXPORTER_OTLP_ENDPOINT', protocol: 'http/protobuf' });
    expect(resolveOtlpTarget(true, {})).toEqual({ url: 'http://localhost:4318/v1/logs', from: 'default', protocol: 'http/protobuf' });
  });

  it('the protocol: the logs variable, then the general one, then http/protobuf; grpc is refused', () => {
    expect(resolveOtlpTarget('http://c', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).protocol).toBe('http/json');
    expect(resolveOtlpTarget('http://c', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' }).protocol).toBe('http/protobuf');
    expect(() => resolveOtlpTarget('http://c', { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', found: '"grpc"' }) }));
  });

  it('rejects what is not an http(s) URL, naming where it came from', () => {
    expect(() => resolveOtlpTarget('localhost:4318', {})).toThrow(/not an OTLP\/HTTP endpoint/);
    expect(() => resolveOtlpTarget(true, { OTEL_EXPORTER_OTLP_ENDPOINT: 'nope' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'OTEL_EXPORTER_OTLP_ENDPOINT' }) }));
  });
});
