/**
 * The LangSmith fixture (test/fixtures/generate/langsmith.ts: `langsmith` 0.12 `traceable` +
 * `wrapOpenAI` runs of the refund bot, and the `createFeedback` thumbs as a listFeedback dump
 * without trace ids) read through the runs source and `buildTrace`, field by field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { productionSystemPrompt } from '../../examples/refund-bot/prompt.js';
import { parseFeedbackDump } from '../../src/traces/feedback-dump.js';
import { joinFeedback } from '../../src/traces/feedback-join.js';
import { stepsOf, type Trace } from '../../src/traces/model.js';
import { flagReasons } from '../../src/traces/select.js';
import { LangsmithRunsSource } from '../../src/traces/sources/langsmith-runs.js';
import { readRefundBotTraces, type RefundBotTraces } from '../support/refund-bot-traces.js';

const dir = join(import.meta.dirname, '../fixtures/langsmith');
const runsFile = join(dir, 'refund-bot.runs.jsonl');
const feedbackFile = join(dir, 'refund-bot.feedback.jsonl');
let traces: RefundBotTraces;
const get = (userId: string): Trace => traces.get(userId);

beforeAll(async () => {
  const feedback = joinFeedback([parseFeedbackDump(readFileSync(feedbackFile, 'utf8'), feedbackFile)]);
  traces = await readRefundBotTraces(new LangsmithRunsSource([runsFile]), (raw) => feedback.attach(raw));
});

describe('fixture langsmith (traceable + wrapOpenAI)', () => {
  it('reads the eight refund-bot traces with user and session', () => {
    expect(traces.all.map((t) => t.userId).sort()).toEqual(['u-1001', 'u-1002', 'u-1003', 'u-2047', 'u-3310', 'u-4120', 'u-5008', 'u-6001']);
    expect(get('u-2047')).toMatchObject({ name: 'refund-bot', sessionId: 'session-u-2047', status: 'ok' });
  });

  it('tool loop: two LLM runs with the full request, the tool run, the final answer', () => {
    const t = get('u-1002');
    const [first, second] = stepsOf(t, 'llm').map((s) => s.step);
    for (const s of [first, second]) {
      expect(s).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', params: { temperature: 0, maxTokens: 300 } });
      expect(s?.tools?.map((x) => x.name)).toEqual(['lookup_order', 'issue_refund']);
      expect(s?.input[0]).toEqual({ role: 'system', content: productionSystemPrompt });
      expect(s?.input[1]?.content).toMatch(/Customer question: Where is my order A1001\?$/);
    }
    const call = first?.output[0]?.toolCalls?.[0];
    expect(call).toMatchObject({ name: 'lookup_order', arguments: { order_id: 'A1001' } });
    expect(first?.finishReason).toBe('tool_calls');
    expect(first?.usage).toMatchObject({ inputTokens: 137, outputTokens: 10 });
    expect(second?.input.find((m) => m.role === 'tool')).toMatchObject({ toolCallId: call?.id });
    expect(second?.output[0]?.content).toContain('Your order A1001 has shipped with UPS');
    expect(second?.finishReason).toBe('stop');
    expect(stepsOf(t, 'tool')[0]?.step).toMatchObject({ name: 'lookup_order', arguments: { order_id: 'A1001' },
      result: { order_id: 'A1001', status: 'shipped', carrier: 'UPS' } });
  });

  it('retrieval: LangChain documents with ids and scores', () => {
    const [r] = stepsOf(get('u-2047'), 'retrieval');
    expect(r?.step.query).toBe('My blender arrived damaged. How long will the refund take?');
    expect(r?.step.documents.map((d) => [d.id, d.score])).toEqual([['kb-refund-damaged-2019', 0.667], ['kb-refund-policy-2025', 0.5]]);
  });

  it('truncation and the failed call', () => {
    expect(stepsOf(get('u-4120'), 'llm')[0]?.step.finishReason).toBe('length');
    const failed = get('u-6001');
    expect(failed.status).toBe('error');
    expect(stepsOf(failed, 'llm')[0]?.step.error?.message).toContain('500');
  });

  it('feedback from the dump, by root run and by child (LLM) run: --flagged takes exactly the two thumbs-down', () => {
    expect(get('u-4120').feedback).toEqual([{ name: 'user_score', score: 0, comment: 'The answer stops mid-sentence.', source: 'api',
      spanId: stepsOf(get('u-4120'), 'llm')[0]?.spanId }]);
    expect(get('u-2047').feedback).toEqual([expect.objectContaining({ score: 0, spanId: get('u-2047').spans.find((s) => s.parentSpanId === undefined)?.spanId })]);
    const flagged = traces.all.filter((t) => flagReasons(t).length > 0).map((t) => t.userId).sort();
    expect(flagged).toEqual(['u-2047', 'u-4120']);
  });
});

describe('listFeedback lines inside the runs dump (no trace ids)', () => {
  it('join by run id when it is the root run; child-run feedback needs --feedback', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'evals-ls-')), 'runs-and-feedback.jsonl');
    writeFileSync(file, readFileSync(runsFile, 'utf8') + readFileSync(feedbackFile, 'utf8'));
    const inline = await readRefundBotTraces(new LangsmithRunsSource([file]));
    expect(inline.get('u-2047').feedback).toEqual([expect.objectContaining({ name: 'user_score', score: 0 })]);
    expect(inline.get('u-4120').feedback).toEqual([]);
    expect(inline.all.filter((t) => t.feedback.length > 0).map((t) => t.userId).sort()).toEqual(['u-1001', 'u-1002', 'u-1003', 'u-2047']);
  });
});
