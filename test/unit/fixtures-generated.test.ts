/**
 * Guards the generated OTLP fixtures (`npm run fixtures`): every file exists, is small, every
 * line is an OTLP request, and each flavour still carries the keys its library is known to
 * emit, so a silently broken regeneration (instrumentation not applied, content capture off)
 * is caught.
 */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/generate/lib/harness.js';
import { readLines, readLogs, readSpans, valuesOf, type FlatRecord } from '../fixtures/generate/lib/read-otlp.js';

const flavours = [
  'otel-contrib-openai', 'traceloop-openai', 'traceloop-openai-legacy', 'openinference-openai',
  'traceloop-anthropic', 'openinference-anthropic', 'anthropic-sdk', 'langfuse-otel', 'mixed',
];

/** Flavours whose instrumentation also records the Responses API scenario (a sixth trace). */
const withResponses = new Set(['otel-contrib-openai', 'traceloop-openai', 'openinference-openai']);

const hasKey = (spans: readonly FlatRecord[], key: string): boolean => spans.some((s) => key in s.attributes);
const scopes = (spans: readonly FlatRecord[]): Set<string> => new Set(spans.map((s) => s.scope));

describe('generated OTLP fixtures', () => {
  for (const flavour of flavours) {
    describe(flavour, () => {
      const file = fixturePath(flavour);

      it('exists, is under 200 KB and is split over several OTLP JSON lines', () => {
        expect(existsSync(file)).toBe(true);
        expect(statSync(file).size).toBeLessThan(200 * 1024);
        const lines = readLines(file);
        expect(lines.length).toBeGreaterThan(1);
        for (const line of lines) expect(Array.isArray(line['resourceSpans'])).toBe(true);
      });

      it('holds the base traces (tool round trip, stream, flagged answer, error), rag-prompt and maybe responses', () => {
        const spans = readSpans(file);
        expect(new Set(spans.map((s) => s.traceId)).size).toBe(withResponses.has(flavour) ? 6 : 5);
        for (const s of spans) {
          expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        }
        const toolTrace = spans.find((s) => /get_weather/.test(s.name))?.traceId;
        expect(toolTrace).toBeDefined();
        const flagged = spans.some((s) =>
          s.events.some((e) => e.name === 'gen_ai.evaluation.result' && e.attributes['gen_ai.evaluation.score.value'] === 0) ||
          s.attributes['trace.annotations.0.annotation.score'] === 0);
        expect(flagged).toBe(true);
        const errored = spans.some((s) => s.statusCode === 2 || s.attributes['langfuse.observation.level'] === 'ERROR');
        expect(errored).toBe(true);
      });
    });
  }

  it('otel-contrib-openai: metadata on spans, messages in log events linked to the spans', () => {
    const spans = readSpans(fixturePath('otel-contrib-openai'));
    expect(scopes(spans)).toContain('@opentelemetry/instrumentation-openai');
    expect(valuesOf(spans, 'gen_ai.system')).toContain('openai');
    expect(hasKey(spans, 'gen_ai.usage.input_tokens')).toBe(true);
    expect(spans.some((s) => s.statusCode === 2 && s.attributes['error.type'] === 'InternalServerError')).toBe(true);
    expect(hasKey(spans.filter((s) => s.scope !== 'fixture-app'), 'gen_ai.input.messages')).toBe(false);

    const logsFile = fixturePath('otel-contrib-openai', 'logs');
    for (const line of readLines(logsFile)) expect(Array.isArray(line['resourceLogs'])).toBe(true);
    const logs = readLogs(logsFile);
    const names = new Set(logs.map((l) => l.name));
    for (const n of ['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.choice']) {
      expect(names).toContain(n);
    }
    const spanIds = new Set(spans.map((s) => s.spanId));
    expect(logs.every((l) => spanIds.has(l.spanId))).toBe(true);
    const toolChoice = logs.find((l) => l.name === 'gen_ai.choice' && JSON.stringify(l.body).includes('get_weather'));
    expect(toolChoice?.body).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'get_weather' } }] } });
  });

  it('traceloop-openai: OTel >=1.37 JSON message attributes', () => {
    const spans = readSpans(fixturePath('traceloop-openai'));
    const llm = spans.filter((s) => s.scope === '@traceloop/instrumentation-openai');
    expect(llm.length).toBeGreaterThanOrEqual(4);
    const outputs = valuesOf(llm, 'gen_ai.output.messages').map((v) => JSON.parse(String(v)) as unknown);
    expect(JSON.stringify(outputs)).toContain('"type":"tool_call"');
    expect(JSON.parse(String(llm[0]?.attributes['gen_ai.input.messages']))).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'user', parts: expect.any(Array) })]));
    expect(hasKey(llm, 'gen_ai.tool.definitions')).toBe(true);
    expect(hasKey(llm, 'gen_ai.usage.input_tokens')).toBe(true);
  });

  it('traceloop-openai-legacy: indexed gen_ai.prompt.N / gen_ai.completion.N attributes', () => {
    const spans = readSpans(fixturePath('traceloop-openai-legacy'));
    expect(valuesOf(spans, 'llm.request.type')).toContain('chat');
    expect(valuesOf(spans, 'gen_ai.prompt.0.role')).toContain('system');
    expect(valuesOf(spans, 'gen_ai.prompt.3.role')).toContain('tool');
    expect(valuesOf(spans, 'gen_ai.completion.0.tool_calls.0.name')).toContain('get_weather');
    expect(valuesOf(spans, 'llm.request.functions.0.name')).toContain('get_weather');
    expect(hasKey(spans, 'gen_ai.usage.prompt_tokens')).toBe(true);
    expect(hasKey(spans.filter((s) => s.scope !== 'fixture-app'), 'gen_ai.input.messages')).toBe(false);
  });

  it('openinference-openai: flattened llm.* messages and retrieval documents', () => {
    const spans = readSpans(fixturePath('openinference-openai'));
    expect(valuesOf(spans, 'openinference.span.kind')).toEqual(expect.arrayContaining(['LLM', 'RETRIEVER', 'TOOL', 'AGENT']));
    expect(valuesOf(spans, 'llm.output_messages.0.message.tool_calls.0.tool_call.function.name')).toContain('get_weather');
    expect(valuesOf(spans, 'llm.input_messages.3.message.tool_call_id')).toContain('call_fake_1_0');
    expect(valuesOf(spans, 'retrieval.documents.0.document.id')).toContain('kb-refund-2019');
    expect(hasKey(spans, 'llm.token_count.prompt')).toBe(true);
    expect(valuesOf(spans, 'trace.annotations.0.annotation.label')).toContain('thumbs_down');
  });

  it('anthropic flavours: Traceloop system instructions, OpenInference content blocks, SDK spans', () => {
    const traceloop = readSpans(fixturePath('traceloop-anthropic'));
    expect(scopes(traceloop)).toEqual(new Set(['@traceloop/instrumentation-anthropic', 'com.anthropic.sdk.typescript', 'fixture-app']));
    expect(hasKey(traceloop, 'gen_ai.system_instructions')).toBe(true);
    expect(valuesOf(traceloop, 'gen_ai.provider.name')).toContain('anthropic');
    const oi = readSpans(fixturePath('openinference-anthropic'));
    expect(valuesOf(oi, 'llm.provider')).toContain('anthropic');
    expect(valuesOf(oi, 'llm.output_messages.0.message.tool_calls.0.tool_call.function.name')).toContain('get_weather');
    expect(valuesOf(oi, 'llm.finish_reason')).toContain('tool_use');
  });

  it('langfuse-otel and mixed: Langfuse observation types, Traceloop spans inside Langfuse traces', () => {
    const langfuse = readSpans(fixturePath('langfuse-otel'));
    expect(scopes(langfuse)).toEqual(new Set(['langfuse-sdk']));
    expect(new Set(valuesOf(langfuse, 'langfuse.observation.type'))).toEqual(new Set(['agent', 'generation', 'tool', 'retriever']));
    expect(hasKey(langfuse, 'langfuse.observation.usage_details')).toBe(true);
    expect(hasKey(langfuse, 'langfuse.observation.completion_start_time')).toBe(true);
    const mixed = readSpans(fixturePath('mixed'));
    const root = mixed.find((s) => s.name === 'weather-agent');
    const inside = mixed.filter((s) => s.traceId === root?.traceId);
    expect(new Set(inside.map((s) => s.scope))).toEqual(new Set(['langfuse-sdk', '@traceloop/instrumentation-openai']));
    expect(inside.filter((s) => s.parentSpanId === root?.spanId).length).toBe(3);
  });
});
