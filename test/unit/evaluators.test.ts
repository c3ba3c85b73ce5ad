import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fields } from '../../src/config/fields.js';
import type { AssertionConfig, Case } from '../../src/datasets/case.js';
import type { EvaluatedOutput } from '../../src/evaluators/evaluator.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';
import { ConfigError } from '../../src/errors.js';

const fields = new Fields('evals.config.yaml');
const baseCase = {
  schema: 'evals.case/v1',
  id: 'c_1',
  input: { messages: [{ role: 'user', content: 'how long do refunds take?' }] },
  context: { steps: [] },
  recorded: { output: 'Refunds take 90 days.', latencyMs: 10, status: 'ok' },
  labels: { flaggedBecause: [], tags: [], diagnosis: [] },
  provenance: { source: 'test', traceId: 't', capturedAt: '2026-01-01T00:00:00Z', toolVersion: '0' },
} as Case;

async function score(config: AssertionConfig, actual: EvaluatedOutput, c: Case = baseCase) {
  const ev = (await EvaluatorResolver.create('evaluators')).resolve(config, fields, ['evaluators', 0]);
  return ev.evaluate({ case: c, actual, reference: c.expected?.output ?? c.recorded.output });
}

describe('built-in evaluators', () => {
  it('contains / not-contains', async () => {
    expect((await score({ type: 'contains', value: '5-7 business days' }, { output: 'Refunds take 5-7 business days.' })).pass).toBe(true);
    const miss = await score({ type: 'contains', value: ['5-7', 'receipt'] }, { output: 'It takes 5-7 days' });
    expect(miss).toMatchObject({ pass: false, score: 0.5 });
    expect(miss.reason).toContain('"receipt"');
    expect((await score({ type: 'contains', value: 'REFUND', ignoreCase: true }, { output: 'refund ok' })).pass).toBe(true);
    expect((await score({ type: 'not-contains', value: '90 days' }, { output: 'Refunds take 90 days' })).pass).toBe(false);
  });

  it('regex and json-valid', async () => {
    expect((await score({ type: 'regex', pattern: '\\d+-\\d+ business days' }, { output: 'takes 5-7 business days' })).pass).toBe(true);
    expect((await score({ type: 'regex', pattern: 'refund', negate: true }, { output: 'a refund' })).pass).toBe(false);
    expect((await score({ type: 'json-valid', required: ['answer'] }, { output: '```json\n{"answer": 1}\n```' })).pass).toBe(true);
    const bad = await score({ type: 'json-valid' }, { output: '{answer' });
    expect(bad.pass).toBe(false);
    expect(bad.reason).toMatch(/not valid JSON/);
  });

  it('similarity uses expected output when present, else the recorded one', async () => {
    const same = await score({ type: 'similarity', threshold: 0.9 }, { output: 'Refunds take 90 days.' });
    expect(same.score).toBe(1);
    expect(same.reason).toContain('recorded output');
    const withExpected = { ...baseCase, expected: { output: 'Refunds take 5-7 business days.' } };
    const r = await score({ type: 'similarity', threshold: 0.9 }, { output: 'Refunds take 90 days.' }, withExpected);
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('expected output');
  });

  it('tool-called matches name and argument subset', async () => {
    const out = { output: null, toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A1', verbose: true } }] };
    expect((await score({ type: 'tool-called', tool: 'lookup_order', args: { order_id: 'A1' } }, out)).pass).toBe(true);
    expect((await score({ type: 'tool-called', tool: 'lookup_order', args: { order_id: 'B2' } }, out)).pass).toBe(false);
    expect((await score({ type: 'not-tool-called', tool: 'issue_refund' }, out)).pass).toBe(true);
  });

  it('rejects unknown evaluators and bad options, naming the field', async () => {
    const r = await EvaluatorResolver.create('/nonexistent-dir');
    expect(() => r.resolve({ type: 'containz' }, fields, ['evaluators', 2])).toThrow(/evaluators\[2\]\.type.*unknown evaluator "containz"/s);
    expect(() => r.resolve({ type: 'contains' }, fields, ['evaluators', 0])).toThrow(ConfigError);
    expect(() => r.resolve({ type: 'regex', pattern: '(' }, fields, ['evaluators', 1])).toThrow(/evaluators\[1\]\.pattern/);
    expect(() => r.resolve({ type: 'contains', value: 'x', valeu: 'y' }, fields, ['evaluators', 0])).toThrow(/unknown option "valeu"/);
    expect(() => r.resolve({ type: 'contains', value: 'x', weight: 0 }, fields, ['evaluators', 3])).toThrow(/evaluators\[3\]\.weight.*must be more than 0/s);
  });

  it('takes a weight on any evaluator, kept on the evaluator for the weighted metric', async () => {
    const r = await EvaluatorResolver.create('/nonexistent-dir');
    const ev = r.resolve({ type: 'contains', value: 'refund', weight: 2 }, fields, ['evaluators', 0]);
    expect(ev.weight).toBe(2);
    expect((await ev.evaluate({ case: baseCase, actual: { output: 'a refund' }, reference: null })).pass).toBe(true);
  });

  it('loads project evaluators written in TypeScript', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-ev-'));
    const src = path.resolve('src/evaluators/evaluator.ts');
    writeFileSync(
      path.join(dir, 'mentions-days.ts'),
      `import { defineEvaluator } from ${JSON.stringify(src)};\nexport default defineEvaluator({ name: 'mentions-days', evaluate: ({ actual }) => { const ok = /days/.test(actual.output ?? ''); return { score: ok ? 1 : 0, pass: ok, reason: ok ? 'mentions days' : 'no days' }; } });\n`,
    );
    const ev = (await EvaluatorResolver.create(dir)).resolve({ type: 'mentions-days' }, fields, ['evaluators', 0]);
    const s = await ev.evaluate({ case: baseCase, actual: { output: 'in 5 days' }, reference: null });
    expect(s).toEqual({ name: 'mentions-days', score: 1, pass: true, reason: 'mentions days' });
  });
});
