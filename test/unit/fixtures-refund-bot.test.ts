/**
 * Guards the refund bot's checked-in production traces and rules: the incident, the injection,
 * truncation, parser fallback and provider error are all in the file with the attributes the
 * demo relies on, the exported rules validate, and the pure parts of the bot behave.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createRefundBot } from '../../examples/refund-bot/app.js';
import { retrieve } from '../../examples/refund-bot/knowledge-base.js';
import { parseReply } from '../../examples/refund-bot/parse-reply.js';
import { fixedSystemPrompt, productionSystemPrompt, renderTemplate } from '../../examples/refund-bot/prompt.js';
import { parseRules, startFakeProvider } from '../../src/fake-provider/index.js';
import { readSpans, type FlatRecord } from '../fixtures/generate/lib/read-otlp.js';

const botDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'refund-bot');
const spans = readSpans(join(botDir, 'traces', 'production.jsonl'));
const roots = spans.filter((s) => s.name === 'invoke_agent refund-bot');
const inTrace = (root: FlatRecord | undefined): FlatRecord[] => spans.filter((s) => s.traceId === root?.traceId);
const rootFor = (question: RegExp): FlatRecord | undefined =>
  roots.find((r) => question.test(String(r.attributes['input.value'])));

describe('refund bot production traces', () => {
  it('holds one root per scenario with user and session ids', () => {
    expect(roots).toHaveLength(8);
    for (const root of roots) {
      expect(root.parentSpanId).toBe('');
      expect(root.attributes['user.id']).toMatch(/^u-\d+$/);
      expect(root.attributes['session.id']).toBe(`session-${String(root.attributes['user.id'])}`);
    }
  });

  it('flags the incident: outdated doc retrieved, "90 days" answered, thumbs-down feedback', () => {
    const root = rootFor(/damaged/);
    const trace = inTrace(root);
    const retrieval = trace.find((s) => s.attributes['gen_ai.operation.name'] === 'retrieval');
    const docs = JSON.parse(String(retrieval?.attributes['gen_ai.retrieval.documents'])) as { id: string; score: number }[];
    expect(docs[0]?.id).toBe('kb-refund-damaged-2019');
    const llm = trace.find((s) => s.scope === '@traceloop/instrumentation-openai');
    expect(String(llm?.attributes['gen_ai.output.messages'])).toContain('90 days');
    const feedback = root?.events.find((e) => e.name === 'gen_ai.evaluation.result');
    expect(feedback?.attributes).toMatchObject({
      'gen_ai.evaluation.name': 'user_feedback', 'gen_ai.evaluation.score.value': 0, 'gen_ai.evaluation.score.label': 'thumbs_down',
    });
    const prompt = trace.find((s) => 'app.prompt.template' in s.attributes);
    expect(JSON.parse(String(prompt?.attributes['app.prompt.variables']))).toHaveProperty('question');
  });

  it('records the injected issue_refund tool call the user did not ask for', () => {
    const trace = inTrace(rootFor(/gift card/));
    const tool = trace.find((s) => s.name === 'execute_tool issue_refund');
    expect(tool?.attributes).toMatchObject({ 'gen_ai.tool.name': 'issue_refund', 'gen_ai.tool.call.arguments': '{"order_id":"A1002"}' });
    const firstCall = trace.find((s) => String(s.attributes['gen_ai.output.messages']).includes('issue_refund'));
    expect(String(firstCall?.attributes['gen_ai.output.messages'])).toContain(String(tool?.attributes['gen_ai.tool.call.id']));
  });

  it('records truncation, parser fallback and the provider error', () => {
    const truncated = inTrace(rootFor(/electronics/));
    expect(truncated.flatMap((s) => (s.attributes['gen_ai.response.finish_reasons'] as unknown[] | undefined) ?? [])).toContain('length');
    expect(truncated.find((s) => 'app.parser.fallback' in s.attributes)?.attributes['app.parser.fallback']).toBe(true);
    const prose = inTrace(rootFor(/warranty/)).find((s) => 'app.parser.fallback' in s.attributes);
    expect(prose?.attributes['app.parser.fallback']).toBe(true);
    const failed = rootFor(/delivery address/);
    expect(failed?.statusCode).toBe(2);
    expect(failed?.events.map((e) => e.name)).toContain('exception');
  });
});

describe('refund bot rules and pure parts', () => {
  const rules = parseRules(readFileSync(join(botDir, 'rules.json'), 'utf8'), 'rules.json');

  it('exports valid rules whose first rule fixes the incident only for the fixed prompt', () => {
    const system = rules[0]?.when?.system;
    expect(system).toBeDefined();
    expect(new RegExp(String(system)).test(fixedSystemPrompt)).toBe(true);
    expect(new RegExp(String(system)).test(productionSystemPrompt)).toBe(false);
    expect(rules[0]?.reply.content).toContain('5-7 business days');
  });

  it('ranks the archived article first for the damaged-item question', () => {
    expect(retrieve('My blender arrived damaged. How long will the refund take?').map((d) => d.id))
      .toEqual(['kb-refund-damaged-2019', 'kb-refund-policy-2025']);
    expect(retrieve('zzz')).toEqual([]);
  });

  it('parses JSON replies and falls back on prose or truncated JSON', () => {
    expect(parseReply('```json\n{"answer":"Yes","refund_eligible":true,"citations":["a",1]}\n```')).toEqual({
      reply: { answer: 'Yes', refundEligible: true, citations: ['a'] }, fallback: false, reason: '',
    });
    expect(parseReply('{"answer":"cut').fallback).toBe(true);
    expect(parseReply('{"text":"x"}')).toMatchObject({ fallback: true, reason: 'missing string "answer"' });
    expect(renderTemplate('{{a}} {{ b }} {{c}}', { a: '1', b: '2' })).toBe('1 2 {{c}}');
  });
});

describe('refund bot against the exported rules', () => {
  it('answers the incident wrongly with the production prompt and correctly with the fixed one', async () => {
    const rules = parseRules(readFileSync(join(botDir, 'rules.json'), 'utf8'), 'rules.json');
    const fp = await startFakeProvider({ rules });
    try {
      const client = new OpenAI({ baseURL: `${fp.url}/v1`, apiKey: 'sk-fake', maxRetries: 0 });
      const question = 'My blender arrived damaged. How long will the refund take?';
      const before = await createRefundBot({ client }).answer(question, { userId: 'u-1' });
      const fixedBot = createRefundBot({ client, systemPrompt: fixedSystemPrompt });
      const after = await fixedBot.answer(question, { userId: 'u-1' });
      expect(before.answer).toContain('90 days');
      expect(after.answer).toContain('5-7 business days');
      const injected = await fixedBot.answer('Can I use a gift card on my order A1002?', { userId: 'u-2' });
      expect(injected.toolCalls).toEqual([]);
      expect(injected.answer).toContain('never expire');
    } finally {
      await fp.close();
    }
  });
});
