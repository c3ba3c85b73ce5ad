/**
 * Field-by-field fidelity of the cases built from every real-library fixture flavour
 * (test/support/fidelity-fields.ts): the replayable call (provider, API, model), system and user
 * messages, the short query, the recorded answer and finish reason, tools offered, tool calls,
 * usage and retrieval documents with ids and scores. Every field the library recorded must be
 * read right; the few it does not record are listed here and must come out empty, never wrong.
 */
import { describe, expect, it } from 'vitest';
import { FLAVOURS, fieldResults, flavourCases, type Flavour } from '../support/fidelity-fields.js';
import { ragQuestion } from '../fixtures/generate/lib/fidelity-scenarios.js';

/** `trace.field` the instrumentation (or the scripted app) never records, per flavour. */
const NOT_RECORDED: Partial<Record<Flavour, string[]>> = {
  // @opentelemetry/instrumentation-openai writes no tool definitions.
  'otel-contrib-openai': ['weather-agent.toolsOffered'],
  // Neither @traceloop/instrumentation-anthropic 0.27 nor the Anthropic SDK's spans write tool definitions.
  'traceloop-anthropic': ['weather-agent.toolsOffered'],
  'anthropic-sdk': ['weather-agent.toolsOffered'],
  // The Langfuse scripts pass a bare message list (no tools), no finish reason on the stream, no usage on rag-prompt.
  'langfuse-otel': ['weather-agent.toolsOffered', 'joke-stream.finishReason', 'rag-prompt.usage'],
};

const empty = (v: unknown): boolean => v === null || v === false || (Array.isArray(v) && v.length === 0);

for (const flavour of Object.keys(FLAVOURS) as Flavour[]) {
  describe(`fidelity: ${flavour}`, () => {
    it('reads every recorded field right (≥ 97% of all scored fields, 100% of recorded ones)', async () => {
      const results = await fieldResults(flavour);
      const skip = new Set(NOT_RECORDED[flavour] ?? []);
      const wrong = results.filter((r) => !r.ok && !skip.has(`${r.trace}.${r.field}`));
      expect(wrong.map((r) => ({ trace: r.trace, field: r.field, expected: r.expected, found: r.found }))).toEqual([]);
      for (const r of results.filter((x) => skip.has(`${x.trace}.${x.field}`))) expect(empty(r.found), `${r.trace}.${r.field}`).toBe(true);
      const recorded = results.filter((r) => !skip.has(`${r.trace}.${r.field}`));
      expect(recorded.filter((r) => r.ok).length / recorded.length).toBe(1);
      expect(results.length).toBeGreaterThanOrEqual(30);
    });

    it('rag-prompt: the instrumentation\'s span is the model call, never the app spans carrying gen_ai.input.messages', async () => {
      const cases = await flavourCases(flavour);
      const c = cases.get('rag-prompt');
      expect(c).toBeDefined();
      const target = c!.context.steps.find((s) => s.spanId === c!.input.llmSpanId);
      expect(target?.step?.type).toBe('llm');
      expect(target?.name).not.toMatch(/^(render_prompt|generate_answer|parse_output)/);
      const llms = c!.context.steps.filter((s) => s.step?.type === 'llm');
      expect(llms).toHaveLength(1);
      expect(c!.input.query).toBe(ragQuestion);
      expect(c!.recorded.outputMissing).toBeUndefined();
    });
  });
}

describe('fidelity: content-less model calls', () => {
  it('anthropic-sdk rag-prompt: the metadata-only SDK span takes the messages rendered by the app span', async () => {
    const cases = await flavourCases('anthropic-sdk');
    const c = cases.get('rag-prompt')!;
    const llm = c.context.steps.find((s) => s.spanId === c.input.llmSpanId)!;
    expect(llm.name).toBe('anthropic.messages.create');
    expect(llm.step?.type === 'llm' && llm.step.contentMissing).toBeFalsy();
    expect(c.input.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(c.input).toMatchObject({ provider: 'anthropic', api: 'anthropic-messages', model: 'claude-sonnet-4-6' });
  });

  it('a failed call is an error, not a lost answer', async () => {
    const cases = await flavourCases('traceloop-openai');
    expect(cases.get('failing-call')!.recorded.outputMissing).toBeUndefined();
    expect(cases.get('failing-call')!.recorded.error).toBeDefined();
  });
});
