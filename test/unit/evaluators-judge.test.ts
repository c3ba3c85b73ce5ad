import { describe, expect, it } from 'vitest';
import { parseVerdict, readVerdict } from '../../src/evaluators/builtin/judge.js';
import type { LlmRequest, Provider } from '../../src/providers/provider.js';
import { build, score } from './evaluators-helpers.js';

/** A judge that gives these replies in turn. */
function replies(list: string[], seen: LlmRequest[]): (name?: string) => Provider {
  return () => ({
    name: 'fake',
    api: 'openai-chat',
    async complete(req: LlmRequest) {
      seen.push(req);
      return { content: list[seen.length - 1] ?? '' } as Awaited<ReturnType<Provider['complete']>>;
    },
  });
}
const config = { type: 'judge', rubric: 'States 5-7 business days.' };
const output = { output: 'Refunds take 5-7 business days.' };

describe('judge verdicts', () => {
  it('asks once more after a refusal or prose, with the reply and a reminder, and uses the second verdict', async () => {
    const seen: LlmRequest[] = [];
    const r = await score(config, output, undefined, { provider: replies(["I'm sorry, I can't grade this.", '{"score": 0.8, "reason": "ok"}'], seen) });
    expect(r).toMatchObject({ score: 0.8, pass: true });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(seen[1]!.messages[3]!.content).toContain('JSON only');
  });

  it('throws (unscored) after a second unreadable reply, and at once on a score outside 0..1', async () => {
    const seen: LlmRequest[] = [];
    await expect(score(config, output, undefined, { provider: replies(['looks fine', 'still fine'], seen) })).rejects.toThrow(/twice/);
    expect(seen).toHaveLength(2);
    const once: LlmRequest[] = [];
    await expect(score(config, output, undefined, { provider: replies(['{"score": 7, "reason": "7/10"}'], once) })).rejects.toThrow(/outside 0..1 \(7\)/);
    expect(once).toHaveLength(1);
  });

  it('reads the verdict next to a second object or a stray brace', () => {
    expect(parseVerdict('{"score": 0.4, "reason": "a"} and also {"note": 1}')).toEqual({ score: 0.4, reason: 'a' });
    expect(parseVerdict('Verdict: {"score": 1, "reason": "b"} }')).toEqual({ score: 1, reason: 'b' });
    expect(readVerdict('{"score": 45}')).toEqual({ kind: 'out_of_scale', found: '45' });
    expect(readVerdict('{"score": ""}')).toEqual({ kind: 'unreadable' });
  });
});

describe('judge scale per rubric', () => {
  const graded = { type: 'judge', rubric: 'Grade 1 (wrong) to 5 (exact policy).', scale: [1, 5], threshold: 4 };

  it('asks for a number on the declared scale, maps it to 0..1 and applies the threshold on that scale', async () => {
    const seen: LlmRequest[] = [];
    const r = await score(graded, output, undefined, { provider: replies(['{"score": 4, "reason": "close"}'], seen) });
    expect(seen[0]!.messages[0]!.content).toContain('<number from 1 to 5>');
    expect(r).toMatchObject({ score: 0.75, pass: true });
    expect(r.reason).toContain('judge 4 on 1..5');
    const low = await score(graded, output, undefined, { provider: replies(['{"score": 3, "reason": "vague"}'], []) });
    expect(low).toMatchObject({ score: 0.5, pass: false });
  });

  it('rejects a verdict outside the declared scale, never clamped', async () => {
    await expect(score(graded, output, undefined, { provider: replies(['{"score": 0, "reason": "zero"}'], []) })).rejects.toThrow(/outside 1..5 \(0\)/);
    expect(readVerdict('{"score": 7}', [0, 10])).toEqual({ kind: 'ok', verdict: { score: 0.7, reason: '' } });
    expect(readVerdict('{"score": 11}', [0, 10])).toEqual({ kind: 'out_of_scale', found: '11' });
  });

  it('rejects a scale that is not [min, max] with min < max, and a threshold off the scale', () => {
    expect(() => build({ ...graded, scale: [5, 1] })).toThrow(/judge|scale/);
    expect(() => build({ ...graded, scale: 10 })).toThrow(/scale/);
    expect(() => build({ ...graded, threshold: 6 })).toThrow(/threshold/);
  });
});
