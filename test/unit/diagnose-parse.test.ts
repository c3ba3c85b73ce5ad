/**
 * parser_fallback in every shape applications record it, from raw spans through the conventions
 * to the diagnosis, and the `inspect` tree line agreeing with the diagnosis.
 */
import { describe, expect, it } from 'vitest';
import { spanSummary } from '../../src/cli/render-trace.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { buildTrace } from '../../src/traces/build.js';
import type { Json, RawSpan, Trace } from '../../src/traces/model.js';
import { runsToRawTrace } from '../../src/traces/sources/langsmith-map.js';

function raw(over: Partial<RawSpan>): RawSpan {
  return {
    traceId: 't1', spanId: 'p1', parentSpanId: 'root', name: 'parse_reply', kind: 'internal', startTimeMs: 100, endTimeMs: 110,
    status: { code: 'unset' }, attributes: {}, events: [], logs: [], resource: {}, ...over,
  };
}

function traceOf(span: RawSpan): Trace {
  const root = raw({ spanId: 'root', name: 'refund-bot', startTimeMs: 0, endTimeMs: 1000 });
  delete root.parentSpanId;
  return buildTrace({ traceId: 't1', origin: { format: 'test' }, spans: [root, span] });
}

const labelsOf = (t: Trace): string[] => diagnose(t).map((d) => `${d.label}@${d.spanId}`);
const line = (t: Trace, id = 'p1'): string => spanSummary(t.spans.find((s) => s.spanId === id)!);

describe('parser_fallback shapes', () => {
  it.each([
    ['Traceloop task output with parse_fallback: true', raw({ name: 'parse_reply.task', attributes: {
      'traceloop.span.kind': 'task', 'traceloop.entity.input': '{"args":["Sure! one year"],"kwargs":{}}',
      'traceloop.entity.output': '{"answer":"Sure! one year","parse_fallback":true}' } })],
    ['parse.ok=false with parse.error', raw({ name: 'postprocess', attributes: { 'parse.ok': false, 'parse.error': 'Unexpected token S in JSON at position 0' } })],
    ['a parse_fallback span event', raw({ name: 'handle-reply', events: [{ name: 'parse_fallback', timeMs: 105, attributes: { reason: 'not JSON' } }] })],
    ['a Langfuse WARNING "JSON parse failed, fallback used"', raw({ name: 'parse-reply', attributes: {
      'langfuse.observation.type': 'span', 'langfuse.observation.level': 'WARNING',
      'langfuse.observation.status_message': 'JSON parse failed, fallback used', 'langfuse.observation.output': '{"answer":"Sure! one year"}' } })],
    ['an errored parse span that still returned a default', raw({ name: 'parse_output', status: { code: 'error', message: 'SyntaxError: bad JSON' },
      attributes: { 'app.parser.output': '{"answer":null}' } })],
  ])('%s → parser_fallback, and the tree line says FALLBACK', (_shape, span) => {
    const t = traceOf(span);
    expect(labelsOf(t)).toEqual(['parser_fallback@p1']);
    expect(line(t)).toContain('[parse] FALLBACK used');
  });

  it.each([
    ['parse_fallback: false', raw({ name: 'parse_reply.task', attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.output': '{"answer":"ok","parse_fallback":false}' } })],
    ['parse.ok=true', raw({ name: 'postprocess', attributes: { 'parse.ok': true } })],
    ['a Langfuse WARNING about something else', raw({ name: 'parse-reply', attributes: { 'langfuse.observation.level': 'WARNING', 'langfuse.observation.status_message': 'slow response' } })],
    ['a fallback flag on a non-parse span name only as `fallback`', raw({ name: 'route.task', attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.output': '{"fallback":true}' } })],
  ])('%s → no label', (_shape, span) => {
    const t = traceOf(span);
    expect(labelsOf(t)).toEqual([]);
    expect(line(t)).not.toContain('FALLBACK');
  });

  it('a parse_fallback flag on the root output is reported on the root, which stays a chain', () => {
    const root = raw({ spanId: 'root', name: 'refund-bot.workflow', startTimeMs: 0, endTimeMs: 1000, attributes: {
      'traceloop.span.kind': 'workflow', 'traceloop.entity.output': '{"answer":"Sure!","parse_fallback":true}' } });
    delete root.parentSpanId;
    const t = buildTrace({ traceId: 't1', origin: { format: 'test' }, spans: [root] });
    expect(t.spans[0]?.step?.type).toBe('chain');
    expect(labelsOf(t)).toEqual(['parser_fallback@root']);
  });

  it('LangSmith: a parser run, or a parse-named chain run, whose outputs say parse_fallback', () => {
    const base = { trace_id: 'r0', start_time: '2026-11-01T10:00:00Z', end_time: '2026-11-01T10:00:01Z' };
    for (const run_type of ['parser', 'chain']) {
      const runs: Array<{ [key: string]: Json }> = [
        { ...base, id: 'r0', name: 'refund-bot', run_type: 'chain', inputs: { question: 'warranty?' }, outputs: { answer: 'Sure!' } },
        { ...base, id: 'r1', parent_run_id: 'r0', name: 'parse_reply', run_type, inputs: { text: 'Sure!' }, outputs: { answer: 'Sure!', parse_fallback: true } },
      ];
      const t = buildTrace(runsToRawTrace('r0', runs, [], { format: 'langsmith-runs' }));
      expect(labelsOf(t)).toEqual([`parser_fallback@${t.spans.find((s) => s.name === 'parse_reply')?.spanId}`]);
    }
  });
});
