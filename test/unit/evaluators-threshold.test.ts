import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';
import type { AssertionConfig } from '../../src/datasets/case.js';
import { fields, makeCase } from './evaluators-helpers.js';

async function run(config: AssertionConfig, output: string) {
  const ev = (await EvaluatorResolver.create('does-not-exist')).resolve(config, fields, ['evaluators', 0]);
  return ev.evaluate({ case: makeCase(), actual: { output }, reference: null });
}

describe('generic threshold', () => {
  it('turns a partial score into a pass at or above the threshold', async () => {
    const config = { type: 'contains', value: ['5-7', 'business days', 'receipt'] };
    expect((await run(config, 'Refunds take 5-7 business days.')).pass).toBe(false);
    const r = await run({ ...config, threshold: 0.6 }, 'Refunds take 5-7 business days.');
    expect(r.pass).toBe(true);
    expect(r.reason).toContain('threshold 0.6');
    expect((await run({ ...config, threshold: 0.7 }, 'Refunds take 5-7 business days.')).pass).toBe(false);
  });

  it("leaves evaluators with their own threshold alone and rejects a bad value", async () => {
    expect((await run({ type: 'similarity', value: 'Refunds take 5-7 business days.', threshold: 0.99 }, 'Refunds take 5-7 business days.')).reason).not.toContain('(score');
    await expect(run({ type: 'contains', value: 'x', threshold: 2 }, 'x')).rejects.toThrow(ConfigError);
  });
});
