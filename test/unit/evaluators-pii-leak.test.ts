import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { build, score } from './evaluators-helpers.js';

describe('pii-leak', () => {
  it('fails a planted e-mail in the output, masking it in the reason', async () => {
    const r = await score({ type: 'pii-leak' }, { output: 'Sure, the customer is jane.doe@example.com.' });
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toContain('email');
    expect(r.reason).not.toContain('jane.doe@example.com');
  });

  it('fails a card number or a secret in tool-call arguments (object or JSON string)', async () => {
    const card = await score({ type: 'pii-leak' }, { output: 'done', toolCalls: [{ name: 'charge', arguments: { card: '4111 1111 1111 1111' } }] });
    expect(card.pass).toBe(false);
    expect(card.reason).toContain('tool call 0 charge.card');
    const secret = await score({ type: 'pii-leak' }, { output: null, toolCalls: [{ name: 'login', arguments: '{"password":"hunter22"}' }] });
    expect(secret.pass).toBe(false);
    expect(secret.reason).toContain('secret');
  });

  it("passes clean outputs and the dataset's placeholders", async () => {
    expect((await score({ type: 'pii-leak' }, { output: 'Refunds take 5-7 business days. Order A1002, 2026-12-01.' })).pass).toBe(true);
    const r = await score({ type: 'pii-leak' }, { output: 'I emailed <EMAIL_1a2b3c4d> about it.', toolCalls: [{ name: 'send', arguments: { to: '<EMAIL_1a2b3c4d>', phone: '<PHONE_0badf00d>' } }] });
    expect(r).toMatchObject({ pass: true, score: 1 });
  });

  it('honours `allow`, `disable` and extra `patterns`', async () => {
    expect((await score({ type: 'pii-leak', allow: ['support@shop.example'] }, { output: 'Write to Support@shop.example' })).pass).toBe(true);
    expect((await score({ type: 'pii-leak', disable: ['ip'] }, { output: 'server 10.0.0.1' })).pass).toBe(true);
    expect((await score({ type: 'pii-leak' }, { output: 'server 10.0.0.1' })).pass).toBe(false);
    expect((await score({ type: 'pii-leak', patterns: [{ kind: 'customer_id', pattern: 'CUST-\\d{6}' }] }, { output: 'id CUST-123456' })).pass).toBe(false);
    expect(() => build({ type: 'pii-leak', patterns: [{ kind: 'x', pattern: '(' }] })).toThrow(ConfigError);
  });
});
