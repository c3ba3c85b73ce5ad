import { describe, expect, it } from 'vitest';
import type { CaseStep } from '../../src/datasets/case.js';
import { lexicalSupport } from '../../src/evaluators/builtin/grounded.js';
import type { Provider } from '../../src/providers/provider.js';
import type { LlmRequest } from '../../src/providers/provider.js';
import { makeCase, score } from './evaluators-helpers.js';

const kb: CaseStep = {
  spanId: 'r1',
  name: 'retrieve',
  offsetMs: 0,
  durationMs: 3,
  status: 'ok',
  step: { type: 'retrieval', documents: [{ id: 'kb-refunds', content: 'Refunds are issued to the original payment method within 5-7 business days of approval.' }] },
};
const c = makeCase({ context: { steps: [kb] } });

function judgeReplying(content: string, seen: LlmRequest[] = []): (name?: string) => Provider {
  return () => ({
    name: 'fake',
    api: 'openai-chat',
    async complete(req: LlmRequest) {
      seen.push(req);
      return { content } as Awaited<ReturnType<Provider['complete']>>;
    },
  });
}

describe('grounded', () => {
  it('passes an answer whose words and numbers the retrieved documents state', async () => {
    const r = await score({ type: 'grounded' }, { output: 'Your refund is issued to the original payment method within 5-7 business days.' }, c);
    expect(r.pass).toBe(true);
    expect(r.readReference).toBe(false);
  });

  it('fails an answer with a number the context never states', async () => {
    const r = await score({ type: 'grounded' }, { output: 'Refunds are issued within 90 days.' }, c);
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('number 90');
    // faithfulness is the same evaluator
    expect((await score({ type: 'faithfulness' }, { output: 'Refunds are issued within 90 days.' }, c)).pass).toBe(false);
  });

  it('fails unsupported wording below the threshold', async () => {
    const r = await score({ type: 'grounded' }, { output: 'Gift cards never expire and shipping is free worldwide.' }, c);
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('gift');
  });

  it('with judge: true, asks the judge only after the pre-check passed', async () => {
    const seen: LlmRequest[] = [];
    const ok = await score({ type: 'grounded', judge: true }, { output: 'Refunds are issued within 5-7 business days.' }, c, { provider: judgeReplying('{"score": 0.2, "reason": "adds a promise"}', seen) });
    expect(ok).toMatchObject({ pass: false, score: 0.2 });
    expect(ok.reason).toContain('judge 0.20: adds a promise');
    expect(JSON.stringify(seen[0]?.messages)).toContain('original payment method');
    const before = seen.length;
    await score({ type: 'grounded', judge: true }, { output: 'Refunds take 90 days.' }, c, { provider: judgeReplying('{"score": 1, "reason": "x"}', seen) });
    expect(seen.length).toBe(before);
    await expect(score({ type: 'grounded', judge: true }, { output: 'Refunds are issued within 5-7 business days.' }, c, { provider: judgeReplying('{"score": 7}') })).rejects.toThrow(/judge reply/);
  });

  it('counts shares of content words and numbers', () => {
    expect(lexicalSupport('Refunds take 5-7 days', 'refund within 5-7 days')).toMatchObject({ missingWords: ['take'], missingNumbers: [] });
    expect(lexicalSupport('', 'x').share).toBe(1);
  });
});
