/**
 * The OpenLIT fixture (test/fixtures/generate/openlit.ts: `openlit` 1.15 auto-instrumenting the
 * refund bot's OpenAI client, the bot's own app spans around it) read through the OTLP file
 * source and `buildTrace`, field by field. OpenLIT 1.15 writes OTel GenAI ≥1.37 attributes
 * (`gen_ai.input.messages` holding the system message AND `gen_ai.system_instructions`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { productionSystemPrompt } from '../../examples/refund-bot/prompt.js';
import { stepsOf, type Trace } from '../../src/traces/model.js';
import { flagReasons } from '../../src/traces/select.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { fixturePath } from '../fixtures/generate/lib/harness.js';
import { readRefundBotTraces, type RefundBotTraces } from '../support/refund-bot-traces.js';

let traces: RefundBotTraces;
const get = (userId: string): Trace => traces.get(userId);

beforeAll(async () => {
  traces = await readRefundBotTraces(new OtlpFileSource([fixturePath('openlit')]));
});

describe('fixture openlit (openlit 1.15, OpenAI chat)', () => {
  it('reads the eight refund-bot traces; --flagged rules take exactly the two thumbs-down', () => {
    expect(traces.all.map((t) => t.userId).sort()).toEqual(['u-1001', 'u-1002', 'u-1003', 'u-2047', 'u-3310', 'u-4120', 'u-5008', 'u-6001']);
    expect(traces.all.filter((t) => flagReasons(t).length > 0).map((t) => t.userId).sort()).toEqual(['u-2047', 'u-4120']);
  });

  it('tool loop: two model calls with the full request, tool call ids, answer, usage', () => {
    const t = get('u-1002');
    const [first, second] = stepsOf(t, 'llm').map((s) => s.step);
    for (const s of [first, second]) {
      expect(s).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', responseModel: 'gpt-4o-mini', params: { temperature: 0, maxTokens: 300 } });
      expect(s?.tools?.map((x) => x.name)).toEqual(['lookup_order', 'issue_refund']);
      expect(s?.input[0]).toEqual({ role: 'system', content: productionSystemPrompt });
      const users = s?.input.filter((m) => m.role === 'user') ?? [];
      expect(users).toHaveLength(1);
      expect(users[0]?.content).toMatch(/Customer question: Where is my order A1001\?$/);
    }
    const call = first?.output[0]?.toolCalls?.[0];
    expect(call).toEqual({ id: 'call_fake_2_0', name: 'lookup_order', arguments: { order_id: 'A1001' } });
    expect(first?.finishReason).toBe('tool_calls');
    expect(first?.usage).toMatchObject({ inputTokens: 137, outputTokens: 10 });
    expect(second?.input.find((m) => m.role === 'assistant')?.toolCalls?.[0]).toMatchObject({ name: 'lookup_order', arguments: { order_id: 'A1001' } });
    expect(second?.input.find((m) => m.role === 'tool')?.content).toContain('"carrier":"UPS"');
    expect(second?.output[0]?.content).toContain('Your order A1001 has shipped with UPS');
    expect(second?.finishReason).toBe('stop');
    expect(stepsOf(t, 'tool')[0]?.step).toMatchObject({ name: 'lookup_order', callId: 'call_fake_2_0', arguments: { order_id: 'A1001' } });
  });

  it('the injection, the truncation and the incident answer', () => {
    expect(stepsOf(get('u-3310'), 'llm')[0]?.step.output[0]?.toolCalls).toEqual([expect.objectContaining({ name: 'issue_refund', arguments: { order_id: 'A1002' } })]);
    expect(stepsOf(get('u-4120'), 'llm')[0]?.step.finishReason).toBe('length');
    expect(stepsOf(get('u-2047'), 'llm')[0]?.step.output[0]?.content).toContain('90 days');
    expect(stepsOf(get('u-2047'), 'retrieval')[0]?.step.documents.map((d) => d.id)).toEqual(['kb-refund-damaged-2019', 'kb-refund-policy-2025']);
  });

  it('the failed call: an LLM step with the error and the model (OpenLIT records no messages for it)', () => {
    const t = get('u-6001');
    expect(t.status).toBe('error');
    const [llm] = stepsOf(t, 'llm');
    expect(llm?.step).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    // OpenLIT records no messages for it; the app's own span may lend its prompt (attach-prompt.ts).
    expect(llm!.step.input.length === 0 || llm!.step.contentFrom !== undefined).toBe(true);
    expect(llm?.step.error?.message).toContain('500');
  });
});
