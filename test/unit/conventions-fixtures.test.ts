/**
 * Real OTLP exports produced by the real instrumentation libraries (test/fixtures/generate/*,
 * four scripted OpenAI scenarios per flavour against a fake provider), read through the OTLP
 * file source and `buildTrace`. Guards the conventions against what libraries actually emit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTrace } from '../../src/traces/build.js';
import { stepsOf, type Trace } from '../../src/traces/model.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';

const dir = join(import.meta.dirname, '../fixtures/otlp');

/** What the fake provider answered, in each vendor's words. */
const vendors = {
  openai: { provider: 'openai', model: 'gpt-4o-mini', callId: 'call_fake_1_0', toolStop: 'tool_calls', stop: 'stop', params: { temperature: 0.2 } },
  anthropic: { provider: 'anthropic', model: 'claude-sonnet-4-6', callId: 'toolu_fake_1_0', toolStop: 'tool_use', stop: 'end_turn',
    params: { maxTokens: 256 } },
} as const;

interface Flavour {
  files: string[];
  vendor: keyof typeof vendors;
  /** Conventions expected on the LLM spans (after folding an SDK span into its wrapper). */
  llmConventions: string[];
  /** Legacy OpenLLMetry drops tool-call ids and the assistant's tool calls from the prompt. */
  toolCallIds: boolean;
  /** Whether the instrumentation records a span for the call that failed with HTTP 500. */
  failedCallSpan: boolean;
  feedbackSource: string;
  /** Langfuse generations name no provider (it is then inferred from the model's family name). */
  provider: boolean;
  /** Whether the streamed call records a finish reason. */
  streamFinishReason: boolean;
  /** Whether the streamed call records its text (the Anthropic SDK's own spans do not). */
  streamText: boolean;
  /** What the failed call's error message says (the Anthropic SDK records only the error type). */
  errorText: string;
}

const base = {
  toolCallIds: true, failedCallSpan: false, feedbackSource: 'eval', provider: true, streamFinishReason: true, streamText: true, errorText: '500',
} as const;

const flavours: Record<string, Flavour> = {
  // @traceloop/instrumentation-openai 0.27 (gen_ai ≥1.37 JSON attributes)
  'traceloop-openai': { ...base, files: ['traceloop-openai.jsonl'], vendor: 'openai', llmConventions: ['gen_ai'] },
  // @traceloop/instrumentation-openai 0.22 (indexed gen_ai.prompt.N / gen_ai.completion.N)
  'traceloop-openai-legacy': { ...base, files: ['traceloop-openai-legacy.jsonl'], vendor: 'openai', llmConventions: ['gen_ai', 'openllmetry'],
    toolCallIds: false },
  // @arizeai/openinference-instrumentation-openai
  'openinference-openai': { ...base, files: ['openinference-openai.jsonl'], vendor: 'openai', llmConventions: ['openinference'],
    feedbackSource: 'annotation' },
  // @opentelemetry/instrumentation-openai 0.21 (1.28–1.36 per-message log records in a separate file)
  'otel-contrib-openai': { ...base, files: ['otel-contrib-openai.jsonl', 'otel-contrib-openai.logs.jsonl'], vendor: 'openai',
    llmConventions: ['gen_ai'], failedCallSpan: true },
  // Langfuse JS SDK observations only (generations written by hand, LangfuseSpanProcessor export)
  'langfuse-otel': { ...base, files: ['langfuse-otel.jsonl'], vendor: 'openai', llmConventions: ['langfuse'], failedCallSpan: true,
    provider: false, streamFinishReason: false },
  // Langfuse observations around @traceloop/instrumentation-openai LLM spans
  mixed: { ...base, files: ['mixed.jsonl'], vendor: 'openai', llmConventions: ['gen_ai'] },
  // @arizeai/openinference-instrumentation-anthropic wrapping the Anthropic SDK's own tracing
  'openinference-anthropic': { ...base, files: ['openinference-anthropic.jsonl'], vendor: 'anthropic',
    llmConventions: ['openinference', 'gen_ai', 'anthropic'], failedCallSpan: true, feedbackSource: 'annotation' },
  // The Anthropic SDK's own tracing alone (content mode), no instrumentation library
  'anthropic-sdk': { ...base, files: ['anthropic-sdk.jsonl'], vendor: 'anthropic', llmConventions: ['gen_ai', 'anthropic'],
    failedCallSpan: true, streamText: false, errorText: 'api_error' },
  // @traceloop/instrumentation-anthropic wrapping the Anthropic SDK's own tracing
  'traceloop-anthropic': { ...base, files: ['traceloop-anthropic.jsonl'], vendor: 'anthropic', llmConventions: ['gen_ai', 'anthropic'],
    failedCallSpan: true },
};

async function readTraces(files: string[]): Promise<Map<string, Trace>> {
  const out = new Map<string, Trace>();
  for await (const raw of new OtlpFileSource(files.map((f) => join(dir, f))).traces()) {
    const t = buildTrace(raw);
    out.set(t.name ?? t.traceId, t);
  }
  return out;
}

it('has at least one fixture flavour to check', () => {
  expect(Object.values(flavours).some((f) => f.files.every((file) => existsSync(join(dir, file))))).toBe(true);
});

for (const [name, f] of Object.entries(flavours)) {
  const present = f.files.every((file) => existsSync(join(dir, file)));
  const v = vendors[f.vendor];
  describe.skipIf(!present)(`fixture ${name}`, async () => {
    const traces = present ? await readTraces(f.files) : new Map<string, Trace>();
    const get = (n: string): Trace => {
      const t = traces.get(n);
      if (!t) throw new Error(`trace ${n} missing from ${name}; have ${[...traces.keys()].join(', ')}`);
      return t;
    };

    it('tool round trip: two LLM calls, the tool call, the tool step and the final answer', () => {
      const t = get('weather-agent');
      expect(t).toMatchObject({ status: 'ok', userId: 'u-1', sessionId: 's-u-1' });
      const llms = stepsOf(t, 'llm');
      expect(llms).toHaveLength(2);
      for (const s of llms) {
        expect(s.conventions).toEqual(f.llmConventions);
        expect(s.step).toMatchObject({ model: v.model, params: v.params });
        expect(s.step.provider).toBe(v.provider);
      }
      const [first, second] = llms.map((s) => s.step);
      expect(first?.input).toEqual([
        { role: 'system', content: 'You are a weather assistant. Use tools.' },
        { role: 'user', content: 'What is the weather in Paris?' },
      ]);
      expect(first?.finishReason).toBe(v.toolStop);
      expect(second?.finishReason).toBe(v.stop);
      expect(first?.usage).toMatchObject({ inputTokens: 16, outputTokens: 14 });
      const call = first?.output[0]?.toolCalls?.[0];
      expect(call).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
      const [tool] = stepsOf(t, 'tool');
      expect(tool?.step).toMatchObject({ name: 'get_weather', callId: v.callId, arguments: { city: 'Paris' },
        result: { city: 'Paris', temperature_c: 18, sky: 'sunny' } });
      const toolMessage = second?.input.find((m) => m.role === 'tool');
      expect(toolMessage?.content).toContain('"temperature_c":18');
      if (f.toolCallIds) {
        expect(call?.id).toBe(v.callId);
        expect(toolMessage?.toolCallId).toBe(v.callId);
        expect(second?.input.find((m) => m.role === 'assistant')?.toolCalls?.[0]?.id).toBe(v.callId);
      }
      expect(second?.output).toEqual([{ role: 'assistant', content: 'It is 18°C and sunny in Paris right now.' }]);
      expect(second?.usage).toMatchObject({ inputTokens: 43, outputTokens: 12 });
    });

    it('streamed chat: the joined text comes through', () => {
      const [llm] = stepsOf(get('joke-stream'), 'llm');
      expect(llm?.step.input).toEqual([{ role: 'user', content: 'Tell me a joke' }]);
      if (f.streamText) expect(llm?.step.output[0]?.content).toBe('Why did the refund cross the road? To reach the other statement.');
      expect(llm?.step.finishReason).toBe(f.streamFinishReason ? v.stop : undefined);
    });

    it('flagged RAG answer: retrieval documents with scores and the thumbs-down', () => {
      const t = get('refund-question');
      const [retrieval] = stepsOf(t, 'retrieval');
      expect(retrieval?.step.query).toBe('My kettle arrived damaged, how long does the refund take?');
      expect(retrieval?.step.documents.map((d) => [d.id, d.score])).toEqual([['kb-refund-2019', 0.83], ['kb-refund-2025', 0.41]]);
      expect(retrieval?.step.documents[0]?.content).toContain('90 days');
      expect(t.feedback).toEqual([expect.objectContaining({ name: 'user_feedback', score: 0, value: 'thumbs_down',
        comment: 'Wrong: refunds take 5-7 business days.', source: f.feedbackSource })]);
      const [llm] = stepsOf(t, 'llm');
      expect(llm?.step.output[0]?.content).toBe('Refunds for damaged items take up to 90 days.');
      expect(llm?.step.usage).toMatchObject({ inputTokens: 40, outputTokens: 10 });
    });

    it('failed call: trace status error, and the LLM step error when the library recorded the span', () => {
      const t = get('failing-call');
      expect(t.status).toBe('error');
      const llms = stepsOf(t, 'llm');
      if (f.failedCallSpan) {
        expect(llms).toHaveLength(1);
        expect(llms[0]?.step.error?.message).toContain(f.errorText);
        expect(llms[0]?.status.code).toBe('error');
      } else {
        expect(llms).toHaveLength(0);
      }
    });
  });
}
