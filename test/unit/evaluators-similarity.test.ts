import { describe, expect, it } from 'vitest';
import { diceSimilarity, MAX_CHARS } from '../../src/evaluators/builtin/similarity.js';
import { makeCase, score } from './evaluators-helpers.js';

describe('similarity', () => {
  it('keeps word boundaries: "5-7business" is not "5-7 business"', async () => {
    expect(diceSimilarity('Refunds take 5-7business days.', 'Refunds take 5-7 business days.')).toBeLessThan(1);
    expect(diceSimilarity('Refunds  take\n5-7 business days.', 'refunds take 5-7 business days.')).toBe(1);
    const r = await score({ type: 'similarity', threshold: 0.99 }, { output: 'Refunds take 5-7business days.' });
    expect(r.pass).toBe(false);
  });

  it('passes the same text with other spacing and case, fails an unrelated answer', async () => {
    expect((await score({ type: 'similarity' }, { output: 'REFUNDS take 5-7 business  days.' })).pass).toBe(true);
    expect((await score({ type: 'similarity' }, { output: 'Please contact support.' })).pass).toBe(false);
  });

  it('a null output is never 1.0 against an empty reference', async () => {
    const c = makeCase({ recorded: { output: '', latencyMs: 1, status: 'ok' } });
    const r = await score({ type: 'similarity' }, { output: null }, c);
    expect(r).toMatchObject({ score: 0, pass: false });
    expect(r.reason).toContain('no output');
    expect(diceSimilarity('', 'x')).toBe(0);
  });

  it(`compares only the first ${MAX_CHARS} characters, fast`, async () => {
    const big = 'refund policy '.repeat(150_000);
    const t0 = performance.now();
    const r = await score({ type: 'similarity', value: big }, { output: `${big}tail` });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.score).toBe(1);
    expect(r.reason).toContain(`first ${MAX_CHARS} characters`);
    expect(r.readReference).toBe(false);
  });
});
