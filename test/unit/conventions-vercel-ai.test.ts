/**
 * The Vercel AI SDK fixture (test/fixtures/generate/vercel-ai.ts: `ai` 6 telemetry of the refund
 * bot's production scenarios) read through the OTLP file source and `buildTrace`, field by field:
 * the provider calls (`doGenerate` / `doStream`) are the LLM steps, the `ai.generateText` span
 * around them is not, tool executions are tool steps.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { productionSystemPrompt } from '../../examples/refund-bot/prompt.js';
import { stepsOf, type Trace } from '../../src/traces/model.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { fixturePath } from '../fixtures/generate/lib/harness.js';
import { readRefundBotTraces, type RefundBotTraces } from '../support/refund-bot-traces.js';

let traces: RefundBotTraces;
const get = (userId: string): Trace => traces.get(userId);

beforeAll(async () => {
  traces = await readRefundBotTraces(new OtlpFileSource([fixturePath('vercel-ai')]));
});

const orderTools = ['lookup_order', 'issue_refund'];

describe('fixture vercel-ai (ai 6 experimental_telemetry)', () => {
  it('reads the eight refund-bot traces', () => {
    expect(traces.all.map((t) => t.userId).sort()).toEqual(['u-1001', 'u-1002', 'u-1003', 'u-2047', 'u-3310', 'u-4120', 'u-5008', 'u-6001']);
  });

  it('tool loop: two provider calls, the tool step, and the generateText span as a chain', () => {
    const t = get('u-1002');
    const llms = stepsOf(t, 'llm');
    expect(llms.map((s) => s.name)).toEqual(['ai.generateText.doGenerate', 'ai.generateText.doGenerate']);
    expect(t.spans.find((s) => s.name === 'ai.generateText')?.step).toMatchObject({ type: 'chain', kind: 'ai.generateText' });
    const [first, second] = llms.map((s) => s.step);
    for (const s of [first, second]) {
      expect(s).toMatchObject({ provider: 'openai', operation: 'chat', model: 'gpt-4o-mini', responseModel: 'gpt-4o-mini',
        params: { temperature: 0, maxTokens: 300 } });
      expect(s?.tools?.map((x) => x.name)).toEqual(orderTools);
      expect(s?.tools?.[0]?.parameters).toMatchObject({ type: 'object', required: ['order_id'] });
      expect(s?.input[0]).toEqual({ role: 'system', content: productionSystemPrompt });
      expect(s?.input[1]?.role).toBe('user');
      expect(s?.input[1]?.content).toMatch(/Customer question: Where is my order A1001\?$/);
    }
    expect(llms[0]?.conventions).toContain('vercel_ai');
    const call = first?.output[0]?.toolCalls?.[0];
    expect(first?.output).toEqual([{ role: 'assistant', content: null, toolCalls: [{ id: call?.id, name: 'lookup_order', arguments: { order_id: 'A1001' } }] }]);
    expect(first?.finishReason).toBe('tool_calls');
    expect(first?.usage).toMatchObject({ inputTokens: 137, outputTokens: 10, totalTokens: 147 });
    expect(first?.responseId).toMatch(/^chatcmpl-/);
    expect(second?.input.slice(2)).toEqual([
      { role: 'assistant', content: null, toolCalls: [{ id: call?.id, name: 'lookup_order', arguments: { order_id: 'A1001' } }] },
      { role: 'tool', toolCallId: call?.id, name: 'lookup_order',
        content: '{"order_id":"A1001","status":"shipped","carrier":"UPS","eta":"2026-12-01","total":129.99}' },
    ]);
    expect(second?.output[0]?.content).toContain('Your order A1001 has shipped with UPS');
    expect(second?.finishReason).toBe('stop');
    const [tool] = stepsOf(t, 'tool');
    expect(tool?.step).toEqual({ type: 'tool', name: 'lookup_order', callId: call?.id, arguments: { order_id: 'A1001' },
      result: { order_id: 'A1001', status: 'shipped', carrier: 'UPS', eta: '2026-12-01', total: 129.99 } });
  });

  it('the Responses API and Anthropic Messages calls say so', () => {
    const [responses] = stepsOf(get('u-5008'), 'llm');
    expect(responses?.step).toMatchObject({ provider: 'openai', operation: 'responses', model: 'gpt-4o-mini', finishReason: 'stop' });
    expect(responses?.step.output[0]?.content).toContain('one-year warranty');
    const [messages] = stepsOf(get('u-1001'), 'llm');
    expect(messages?.step).toMatchObject({ provider: 'anthropic', operation: 'chat', model: 'claude-haiku-4-5', finishReason: 'end_turn',
      params: { temperature: 0, maxTokens: 300 } });
    expect(messages?.step.input[0]).toEqual({ role: 'system', content: productionSystemPrompt });
    expect(messages?.step.output[0]?.content).toContain('Standard shipping takes 3-5 business days');
  });

  it('streamText: the doStream span is the model call, marked streamed, with the joined text', () => {
    const llms = stepsOf(get('u-1003'), 'llm');
    expect(llms.map((s) => s.name)).toEqual(['ai.streamText.doStream']);
    expect(llms[0]?.step.params).toMatchObject({ stream: true, temperature: 0 });
    expect(llms[0]?.step.output[0]?.content).toContain('within 5-7 business days');
    expect(llms[0]?.step.usage).toMatchObject({ inputTokens: 163, outputTokens: 50 });
    const truncated = stepsOf(get('u-4120'), 'llm')[0]?.step;
    expect(truncated?.finishReason).toBe('length');
  });

  it('the injection: the tool call carries its arguments, the flagged incident its feedback', () => {
    const [first] = stepsOf(get('u-3310'), 'llm');
    expect(first?.step.output[0]?.toolCalls).toEqual([expect.objectContaining({ name: 'issue_refund', arguments: { order_id: 'A1002' } })]);
    expect(get('u-2047').feedback).toEqual([expect.objectContaining({ name: 'user_feedback', score: 0, value: 'thumbs_down' })]);
  });

  it('the failed provider call is an LLM step with the error and its full request', () => {
    const t = get('u-6001');
    expect(t.status).toBe('error');
    const [llm] = stepsOf(t, 'llm');
    expect(llm?.status.code).toBe('error');
    expect(llm?.step.error?.message).toContain('500');
    expect(llm?.step.input.map((m) => m.role)).toEqual(['system', 'user']);
    expect(llm?.step.output).toEqual([]);
  });
});
