import { describe, expect, it } from 'vitest';
import { parseWinner } from '../../src/evaluators/builtin/pairwise.js';
import type { LlmRequest, Provider } from '../../src/providers/provider.js';
import { makeCase, score } from './evaluators-helpers.js';

/** A judge that answers with `decide(answerA, answerB)`. */
function judge(decide: (a: string, b: string) => string, seen: LlmRequest[] = []): (name?: string) => Provider {
  return () => ({
    name: 'fake',
    api: 'openai-chat',
    async complete(req: LlmRequest) {
      seen.push(req);
      const text = String(req.messages[1]?.content ?? '');
      const a = /Answer A:\n([\s\S]*?)\n\nAnswer B:/.exec(text)?.[1] ?? '';
      const b = /Answer B:\n([\s\S]*)$/.exec(text)?.[1] ?? '';
      return { content: decide(a, b) } as Awaited<ReturnType<Provider['complete']>>;
    },
  });
}
const decide57 = (a: string, b: string): string =>
  JSON.stringify({ winner: a.includes('5-7') && !b.includes('5-7') ? 'A' : b.includes('5-7') && !a.includes('5-7') ? 'B' : 'tie', reason: 'states 5-7 days' });
const prefers57 = judge(decide57);
const c = makeCase({ recorded: { output: 'Refunds take 90 days.', latencyMs: 1, status: 'ok' } });
const config = { type: 'pairwise', rubric: 'States the correct refund time.' };

describe('pairwise', () => {
  it('passes a candidate the judge prefers in both orders', async () => {
    const seen: LlmRequest[] = [];
    const r = await score(config, { output: 'Refunds take 5-7 business days.' }, c, { provider: judge(decide57, seen) });
    expect(r).toMatchObject({ pass: true, score: 1 });
    expect(seen).toHaveLength(2);
    expect(r.readReference).toBe(false);
  });

  it('fails a candidate worse than production in both orders', async () => {
    const prod = makeCase({ recorded: { output: 'Refunds take 5-7 business days.', latencyMs: 1, status: 'ok' } });
    const r = await score(config, { output: 'Refunds take 90 days.' }, prod, { provider: prefers57 });
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toContain('worse than production');
  });

  it('reports a position-biased judge as a tie', async () => {
    const alwaysA = judge(() => '{"winner":"A","reason":"first is better"}');
    const r = await score(config, { output: 'Refunds take 5-7 business days.' }, c, { provider: alwaysA });
    expect(r).toMatchObject({ score: 0.5, pass: true });
    expect(r.reason).toContain('disagreed');
    expect((await score({ ...config, allowTie: false }, { output: 'Refunds take 5-7 business days.' }, c, { provider: alwaysA })).pass).toBe(false);
  });

  it("is a tie without a call on production's own answer; unscored without a baseline or on a bad reply", async () => {
    const seen: LlmRequest[] = [];
    expect(await score(config, { output: 'Refunds take 90 days.' }, c, { provider: judge(() => '', seen) })).toMatchObject({ score: 0.5, pass: true });
    expect(seen).toHaveLength(0);
    await expect(score(config, { output: 'x' }, makeCase({ recorded: { output: null, latencyMs: 1, status: 'ok' } }), { provider: prefers57 })).rejects.toThrow(/no|none/);
    await expect(score(config, { output: 'x' }, c, { provider: judge(() => 'B is better') })).rejects.toThrow(/winner/);
    expect(parseWinner('```json\n{"winner": "tie", "reason": "same"}\n```')).toEqual({ winner: 'tie', reason: 'same' });
  });
});
