import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { build, score } from './evaluators-helpers.js';

describe('finish-reason', () => {
  it('fails truncated outputs in every provider spelling', async () => {
    for (const finishReason of ['length', 'max_tokens', 'MAX_TOKENS', 'max_output_tokens']) {
      const r = await score({ type: 'finish-reason' }, { output: 'Refunds take 5-7 busi', finishReason });
      expect(r, finishReason).toMatchObject({ pass: false, score: 0 });
      expect(r.reason).toContain('truncated');
    }
  });

  it('passes a finished answer, and one with no recorded reason', async () => {
    expect((await score({ type: 'finish-reason' }, { output: 'ok', finishReason: 'stop' })).pass).toBe(true);
    expect((await score({ type: 'finish-reason' }, { output: 'ok', finishReason: 'end_turn' })).pass).toBe(true);
    expect((await score({ type: 'finish-reason' }, { output: 'ok' })).reason).toBe('no finish reason recorded');
  });

  it('with `allowed`, passes only those', async () => {
    expect((await score({ type: 'finish-reason', allowed: ['stop'] }, { output: null, finishReason: 'tool_calls' })).pass).toBe(false);
    expect((await score({ type: 'finish-reason', allowed: ['stop', 'tool_calls'] }, { output: null, finishReason: 'tool_calls' })).pass).toBe(true);
    expect(() => build({ type: 'finish-reason', allowed: [] })).toThrow(ConfigError);
  });
});

describe('refusal', () => {
  const refusals = [
    "I'm sorry, but I can't help with that.",
    'I’m sorry, I cannot assist with this request.',
    'I must decline to answer.',
    'As an AI language model, I am unable to give legal advice.',
    'I am not able to provide that information.',
    "I'm unable to comply.",
    "I can't help you with that, but our support team can.",
  ];
  const answers = [
    'Refunds take 5-7 business days.',
    "I can't find order A1002 — could you check the number?",
    'Sorry for the wait! Your refund was issued.',
    'I cannot provide refunds after 30 days, but you can exchange the item.',
  ];

  it('fails refusals by default (expect: false)', async () => {
    for (const output of refusals) expect((await score({ type: 'refusal' }, { output })).pass, output).toBe(false);
    expect((await score({ type: 'refusal' }, { output: '', finishReason: 'content_filter' })).pass).toBe(false);
  });

  it('passes answers, including ones that apologise or cannot find something', async () => {
    for (const output of answers) expect((await score({ type: 'refusal' }, { output })).pass, output).toBe(true);
  });

  it('with expect: true, passes only refusals', async () => {
    expect((await score({ type: 'refusal', expect: true }, { output: refusals[0]! })).pass).toBe(true);
    const r = await score({ type: 'refusal', expect: true }, { output: answers[0]! });
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('expected a refusal');
  });

  it('takes extra patterns and rejects bad ones', async () => {
    expect((await score({ type: 'refusal', patterns: ['please contact a human'] }, { output: 'Please contact a human agent.' })).pass).toBe(false);
    expect(() => build({ type: 'refusal', patterns: ['('] })).toThrow(ConfigError);
  });
});
