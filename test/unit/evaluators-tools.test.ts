import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { ToolCall } from '../../src/traces/model.js';
import { build, score } from './evaluators-helpers.js';

const calls: ToolCall[] = [
  { name: 'lookup_order', arguments: { order_id: 'A1002', filters: { status: 'open', since: '2026-01-01' } } },
  { name: 'check_policy', arguments: '{"topic":"refund","days":"30"}' },
  { name: 'reply', arguments: { amount: 12.49 } },
];

describe('tool-called arguments', () => {
  it('compares nested arguments ignoring key order', async () => {
    const r = await score({ type: 'tool-called', tool: 'lookup_order', args: { filters: { since: '2026-01-01', status: 'open' } } }, { output: null, toolCalls: calls });
    expect(r.pass).toBe(true);
    expect((await score({ type: 'tool-called', tool: 'lookup_order', args: { filters: { status: 'open' } } }, { output: null, toolCalls: calls })).pass).toBe(false);
  });

  it('"30" equals 30 unless strictTypes', async () => {
    expect((await score({ type: 'tool-called', tool: 'check_policy', args: { days: 30 } }, { output: null, toolCalls: calls })).pass).toBe(true);
    const strict = await score({ type: 'tool-called', tool: 'check_policy', args: { days: 30 }, strictTypes: true }, { output: null, toolCalls: calls });
    expect(strict.pass).toBe(false);
    expect(strict.reason).toContain('other arguments');
  });

  it('takes $regex, $number with tolerance and $any matchers', async () => {
    expect((await score({ type: 'tool-called', tool: 'lookup_order', args: { order_id: { $regex: '^a\\d{4}$', flags: 'i' } } }, { output: null, toolCalls: calls })).pass).toBe(true);
    expect((await score({ type: 'tool-called', tool: 'reply', args: { amount: { $number: 12.5, tolerance: 0.02 } } }, { output: null, toolCalls: calls })).pass).toBe(true);
    expect((await score({ type: 'tool-called', tool: 'reply', args: { amount: { $number: 12.5 } } }, { output: null, toolCalls: calls })).pass).toBe(false);
    expect((await score({ type: 'tool-called', tool: 'reply', args: { amount: { $any: true } } }, { output: null, toolCalls: calls })).pass).toBe(true);
    expect((await score({ type: 'not-tool-called', tool: 'reply', args: { currency: { $any: true } } }, { output: null, toolCalls: calls })).pass).toBe(true);
    expect(() => build({ type: 'tool-called', tool: 'x', args: { a: { $regex: '(' } } })).toThrow(ConfigError);
    expect(() => build({ type: 'tool-called', tool: 'x', args: { a: { $near: 1 } } })).toThrow(/unknown matcher/);
  });
});

describe('tool-sequence', () => {
  it('ordered: exactly these calls in this order', async () => {
    const ok = await score({ type: 'tool-sequence', tools: ['lookup_order', { tool: 'check_policy', args: { topic: 'refund' } }, 'reply'] }, { output: null, toolCalls: calls });
    expect(ok).toMatchObject({ pass: true, score: 1 });
    const swapped = await score({ type: 'tool-sequence', tools: ['check_policy', 'lookup_order', 'reply'] }, { output: null, toolCalls: calls });
    expect(swapped.pass).toBe(false);
    expect(swapped.reason).toContain('expected (ordered) check_policy → lookup_order → reply; got lookup_order → check_policy → reply');
    expect((await score({ type: 'tool-sequence', tools: ['lookup_order', 'reply'] }, { output: null, toolCalls: calls })).pass).toBe(false);
  });

  it('unordered: the same calls in any order; subset: these among others', async () => {
    expect((await score({ type: 'tool-sequence', mode: 'unordered', tools: ['reply', 'check_policy', 'lookup_order'] }, { output: null, toolCalls: calls })).pass).toBe(true);
    expect((await score({ type: 'tool-sequence', mode: 'unordered', tools: ['reply', 'lookup_order'] }, { output: null, toolCalls: calls })).pass).toBe(false);
    expect((await score({ type: 'tool-sequence', mode: 'subset', tools: ['reply', 'lookup_order'] }, { output: null, toolCalls: calls })).pass).toBe(true);
    const missing = await score({ type: 'tool-sequence', mode: 'subset', tools: ['reply', 'issue_refund'] }, { output: null, toolCalls: calls });
    expect(missing).toMatchObject({ pass: false, score: 0.5 });
    // One call cannot satisfy two expected entries.
    expect((await score({ type: 'tool-sequence', mode: 'subset', tools: ['reply', 'reply'] }, { output: null, toolCalls: calls })).pass).toBe(false);
  });

  it('rejects an empty list and an unknown mode', () => {
    expect(() => build({ type: 'tool-sequence', tools: [] })).toThrow(ConfigError);
    expect(() => build({ type: 'tool-sequence', tools: ['a'], mode: 'exact' })).toThrow(ConfigError);
  });
});
